import { createTestDatabase, type TestDatabase } from "@stepwise/testkit/database";
import { afterAll, beforeAll, expect, it } from "vitest";
import { givenExecution, givenStateMachine } from "../test-fixtures.ts";
import { closeExecution, closeExecutions } from "./execution-close.ts";
import { getExecution } from "./execution-read.ts";
import { writeExecutionRows } from "./execution-rows.ts";
import { deleteStateMachine, purgeStateMachine } from "./state-machines.ts";
import { closeTaskTokens, getTaskToken, markTaskTokenStarted } from "./task-tokens.ts";
import { listThreads } from "./threads.ts";
import { scheduleTimer } from "./timers.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await givenStateMachine(t.db, "m");
});
afterAll(() => t.drop());

const stopDate = new Date("2025-01-01T00:01:00.000Z");

/** An execution with a running and a waiting thread, open, started and answered tokens, and a timer. */
async function givenBusyExecution(name: string): Promise<string> {
  const { arn } = await givenExecution(t.db, "m", name);
  const token = (id: string) => ({ token: `${name}-${id}`, threadId: "", stateName: "T" });
  await writeExecutionRows(t.db, [
    {
      executionArn: arn,
      threads: [
        { threadId: "Map/0", position: { at: 0 }, status: "RUNNING" },
        { threadId: "Map/1", position: { at: 1 }, status: "WAITING" },
        { threadId: "Map/2", position: { at: 2 }, status: "SUCCEEDED" },
      ],
      tokens: [token("open"), token("called-back"), token("answered")],
    },
  ]);
  await markTaskTokenStarted(t.db, `${name}-called-back`);
  await closeTaskTokens(t.db, [{ token: `${name}-answered`, status: "SUCCEEDED" }]);
  await scheduleTimer(t.db, { id: `${name}-timer`, executionArn: arn, threadId: "", kind: "wait", fireAt: stopDate });
  return arn;
}

it("closes a running execution and, in the same statement, drops its timers, aborts its open threads and cancels its open tokens", async () => {
  const arn = await givenBusyExecution("busy");
  const other = await givenBusyExecution("other");
  const closed = await closeExecution(t.db, arn, { status: "SUCCEEDED", stopDate, output: '{"done":true}' });
  expect(closed).toEqual({
    closed: true,
    cancelledTokens: expect.arrayContaining(["busy-open", "busy-called-back"]),
    machine: { status: "ACTIVE", tags: [] },
  });
  expect(await getExecution(t.db, arn)).toMatchObject({ status: "SUCCEEDED", stopDate, output: '{"done":true}', error: null });
  expect(Object.fromEntries((await listThreads(t.db, arn)).map((r) => [r.threadId, r.status]))).toEqual({
    "": "ABORTED",
    "Map/0": "ABORTED",
    "Map/1": "ABORTED",
    "Map/2": "SUCCEEDED",
  });
  expect(closed.cancelledTokens).toHaveLength(2);
  expect((await getTaskToken(t.db, "busy-open")).status).toBe("CANCELLED");
  expect((await getTaskToken(t.db, "busy-called-back")).status).toBe("CANCELLED");
  expect((await getTaskToken(t.db, "busy-answered")).status).toBe("SUCCEEDED");
  expect(await t.sql`select id from timers where execution_arn = ${arn}`).toEqual([]);
  // Another execution's rows are left as they were.
  expect((await getTaskToken(t.db, "other-open")).status).toBe("PENDING");
  expect((await listThreads(t.db, other)).map((r) => r.status)).toEqual(["RUNNING", "RUNNING", "WAITING", "SUCCEEDED"]);
});

it("closes several executions in one statement, each with its own outcome and its own tokens", async () => {
  const one = await givenBusyExecution("one");
  const two = await givenBusyExecution("two");
  const done = await givenBusyExecution("done");
  await closeExecution(t.db, done, { status: "ABORTED", stopDate, error: "Stopped", cause: null });
  const closed = await closeExecutions(t.db, [
    { arn: two, outcome: { status: "FAILED", stopDate, error: "E", cause: "c" } },
    { arn: done, outcome: { status: "SUCCEEDED", stopDate, output: "1" } },
    { arn: one, outcome: { status: "SUCCEEDED", stopDate, output: '"one"' } },
  ]);
  expect(closed.map((c) => [c.closed, [...c.cancelledTokens].sort()])).toEqual([
    [true, ["two-called-back", "two-open"]],
    [false, []],
    [true, ["one-called-back", "one-open"]],
  ]);
  expect(await getExecution(t.db, one)).toMatchObject({ status: "SUCCEEDED", output: '"one"', error: null });
  expect(await getExecution(t.db, two)).toMatchObject({ status: "FAILED", output: null, error: "E", cause: "c" });
  expect(await getExecution(t.db, done)).toMatchObject({ status: "ABORTED", error: "Stopped" });
});

it("changes nothing of an execution another writer closed first", async () => {
  const arn = await givenBusyExecution("raced");
  await closeExecution(t.db, arn, { status: "ABORTED", stopDate, error: "Stopped", cause: null });
  await writeExecutionRows(t.db, [{ executionArn: arn, tokens: [{ token: "raced-late", threadId: "", stateName: "T" }] }]);
  expect(await closeExecution(t.db, arn, { status: "FAILED", stopDate, error: "States.TaskFailed" })).toMatchObject({
    closed: false,
    cancelledTokens: [],
  });
  expect(await getExecution(t.db, arn)).toMatchObject({ status: "ABORTED", error: "Stopped" });
  expect((await getTaskToken(t.db, "raced-late")).status).toBe("PENDING");
});

it("tells of a machine being deleted, and of none once it is purged", async () => {
  const machine = await givenStateMachine(t.db, "doomed");
  const arn = (await givenExecution(t.db, "doomed", "last")).arn;
  await deleteStateMachine(t.db, machine.arn);
  const closed = await closeExecution(t.db, arn, { status: "SUCCEEDED", stopDate, output: "null" });
  expect(closed.machine?.status).toBe("DELETING");
  expect(await purgeStateMachine(t.db, machine.arn)).toBe(true);
  expect((await closeExecution(t.db, arn, { status: "SUCCEEDED", stopDate })).machine).toBeUndefined();
});
