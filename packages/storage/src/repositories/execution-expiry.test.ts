import { createTestDatabase, type TestDatabase } from "@stepwise/testkit/database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExecutionDoesNotExist } from "../errors.ts";
import { executionArn, givenExecution, givenStateMachine, newExecution, stateMachineArn } from "../test-fixtures.ts";
import { createChildExecutions } from "./child-executions.ts";
import { recordChildResult } from "./child-results.ts";
import { closeExecution } from "./execution-close.ts";
import {
  deleteExpiredExecutions,
  type ExpiredExecution,
  findExpiredExecutions,
  listChildrenToExpire,
  listStateMachineTag,
} from "./execution-expiry.ts";
import { getExecution } from "./execution-read.ts";
import { writeExecutionRows } from "./execution-rows.ts";
import { reopenExecution } from "./executions.ts";
import { tagResource } from "./tags.ts";
import { scheduleTimer } from "./timers.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await givenStateMachine(t.db, "kept");
  await givenStateMachine(t.db, "short");
  await tagResource(t.db, stateMachineArn("short"), [
    { key: "team", value: "a" },
    { key: "stepwise:retention", value: "1h" },
  ]);
});
afterAll(() => t.drop());

const day = (d: number) => new Date(Date.UTC(2025, 0, d));
const deleteRoots = (...roots: ExpiredExecution[]) => deleteExpiredExecutions(t.db, { roots, lockTimeoutMs: 1000 });
const deleteUnder = (root: ExpiredExecution, descendants: string[]) =>
  deleteExpiredExecutions(t.db, { roots: [root], descendants, lockTimeoutMs: 1000 });

/** An execution that ran and closed on `closed`, leaving a history, threads, a token, a timer and a child result. */
async function givenClosedExecution(machine: string, name: string, closed: Date, status: "SUCCEEDED" | "FAILED" = "SUCCEEDED") {
  const { arn } = await givenExecution(t.db, machine, name, { startDate: new Date(closed.getTime() - 60_000) });
  await writeExecutionRows(t.db, [
    {
      executionArn: arn,
      threads: [{ threadId: "Map/0", position: { at: 0 }, status: "SUCCEEDED" }],
      tokens: [{ token: `${name}-token`, threadId: "", stateName: "T" }],
    },
  ]);
  await recordChildResult(t.db, { executionArn: arn, parentThreadId: "Map", childIndex: 0, status: "SUCCEEDED", output: "{}" });
  await closeExecution(t.db, arn, { status, stopDate: closed, output: "{}" });
  // Closing drops unfired timers; one scheduled as it closed stays behind.
  await scheduleTimer(t.db, { id: `${name}-timer`, executionArn: arn, threadId: "", kind: "wait", fireAt: closed });
  return arn;
}

async function rowsOf(arn: string): Promise<Record<string, number>> {
  const [row] = await t.sql`
    select (select count(*) from executions where arn = ${arn})::int as executions,
           (select count(*) from history_events where execution_arn = ${arn})::int as history_events,
           (select count(*) from execution_threads where execution_arn = ${arn})::int as execution_threads,
           (select count(*) from task_tokens where execution_arn = ${arn})::int as task_tokens,
           (select count(*) from timers where execution_arn = ${arn})::int as timers,
           (select count(*) from child_results where execution_arn = ${arn})::int as child_results`;
  return { ...row };
}

describe("which executions have expired", () => {
  it("closed top-level executions closed before their machine's cutoff: the default, or the machine's own", async () => {
    const old = await givenClosedExecution("kept", "old", day(1));
    await givenClosedExecution("kept", "recent", day(20));
    await givenExecution(t.db, "kept", "still-running", { startDate: day(1) });
    const short = await givenClosedExecution("short", "short-old", day(19));
    await givenClosedExecution("short", "short-recent", day(21));

    const overrides = new Map([[stateMachineArn("short"), day(20)]]);
    const expired = await findExpiredExecutions(t.db, { default: day(10), overrides }, 100);
    expect(expired.map((e) => e.arn).sort()).toEqual([old, short].sort());
    expect(expired.find((e) => e.arn === short)?.closedBefore).toEqual(day(20));
    expect(expired.find((e) => e.arn === old)?.closedBefore).toEqual(day(10));

    // The override may be longer than the default, too: the machine's executions are held to it alone.
    const longer = await findExpiredExecutions(t.db, { default: day(30), overrides: new Map([[stateMachineArn("short"), day(2)]]) }, 100);
    expect(longer.map((e) => e.arn)).not.toContain(short);
    expect(longer.map((e) => e.arn)).toContain(old);
    expect(await findExpiredExecutions(t.db, { default: day(30), overrides }, 1)).toHaveLength(1);
  });

  it("reads the retention tag of every machine that has one", async () => {
    expect(await listStateMachineTag(t.db, "stepwise:retention")).toEqual([{ stateMachineArn: stateMachineArn("short"), value: "1h" }]);
  });
});

describe("deleting expired executions", () => {
  it("deletes the execution with everything stored for it, and counts the rows and bytes", async () => {
    const arn = await givenClosedExecution("kept", "to-delete", day(2));
    const neighbour = await givenClosedExecution("kept", "neighbour", day(2));
    const before = await rowsOf(arn);
    expect(before).toEqual({ executions: 1, history_events: 1, execution_threads: 2, task_tokens: 1, timers: 1, child_results: 1 });

    const result = await deleteRoots({ arn, closedBefore: day(3) });
    expect(result.deleted).toEqual([arn]);
    expect(await rowsOf(arn)).toEqual({
      executions: 0,
      history_events: 0,
      execution_threads: 0,
      task_tokens: 0,
      timers: 0,
      child_results: 0,
    });
    await expect(getExecution(t.db, arn)).rejects.toBeInstanceOf(ExecutionDoesNotExist);
    for (const [table, rows] of Object.entries(before)) {
      const reclaimed = result.reclaimed.find((r) => r.table === table);
      expect(reclaimed?.rows, table).toBe(rows);
      expect(reclaimed?.bytes, table).toBeGreaterThan(0);
    }
    expect((await rowsOf(neighbour)).executions).toBe(1);
  });

  it("leaves an execution redriven since it was found, and one another transaction holds", async () => {
    const redriven = await givenClosedExecution("kept", "redriven", day(2), "FAILED");
    const root = { arn: redriven, closedBefore: day(3) };
    await reopenExecution(t.db, redriven, { redriveDate: day(4), redriveTokens: [] });
    expect((await deleteRoots(root)).deleted).toEqual([]);
    expect((await rowsOf(redriven)).history_events).toBe(1);

    const held = await givenClosedExecution("kept", "held", day(2));
    const free = await givenClosedExecution("kept", "free", day(2));
    const other = await t.sql.reserve();
    try {
      await other`begin`;
      await other`select 1 from executions where arn = ${held} for update`;
      const started = Date.now();
      const result = await deleteRoots({ arn: held, closedBefore: day(3) }, { arn: free, closedBefore: day(3) });
      expect(result.deleted).toEqual([free]);
      // Skipped at once, not waited for.
      expect(Date.now() - started).toBeLessThan(500);
    } finally {
      await other`rollback`;
      other.release();
    }
    expect((await deleteRoots({ arn: held, closedBefore: day(3) })).deleted).toEqual([held]);
  });

  it("deletes a parent only once its child executions are gone, children first", async () => {
    const parent = await givenClosedExecution("kept", "parent", day(2));
    const child = (i: number) => ({
      ...newExecution("kept", `parent/Map:${i}`, { startDate: day(1) }),
      stateMachineArn: `${stateMachineArn("kept")}/Map`,
      arn: `${executionArn("kept", "parent")}/Map:${i}`,
      mapRunArn: "run",
      parentExecutionArn: parent,
      parentThreadId: `Map/${i}`,
    });
    const children = [...(await createChildExecutions(t.db, [child(0), child(1)]))];
    for (const arn of children) await closeExecution(t.db, arn, { status: "SUCCEEDED", stopDate: day(2), output: "{}" });
    const root = { arn: parent, closedBefore: day(3) };

    // Children never come up on their own: they go with their parent.
    expect((await findExpiredExecutions(t.db, { default: day(3), overrides: new Map() }, 100)).map((e) => e.arn)).not.toContain(
      children[0],
    );
    expect((await deleteRoots(root)).deleted).toEqual([]);
    expect((await listChildrenToExpire(t.db, parent, 10)).map((c) => c.arn).sort()).toEqual(children.sort());

    const first = await deleteUnder(root, [children[0] as string]);
    expect(first.deleted).toEqual([children[0]]);
    expect((await deleteRoots(root)).deleted).toEqual([]);
    expect((await deleteUnder(root, [children[1] as string])).deleted).toEqual([children[1]]);
    expect((await deleteRoots(root)).deleted).toEqual([parent]);
  });
});
