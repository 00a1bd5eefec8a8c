import type { FanOut, HistoryEvent, HistoryEventType, Json } from "@stepwise/asl";
import { createTestDatabase, type TestDatabase } from "@stepwise/testkit/database";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExecutionDoesNotExist } from "../errors.ts";
import { executions } from "../schema/executions.ts";
import { executionArn, givenExecution, givenStateMachine, stateMachineArn } from "../test-fixtures.ts";
import { appendEvents } from "./history.ts";
import { getMapRun, listMapRuns, MapRunDoesNotExist } from "./map-runs.ts";
import { upsertThreads } from "./threads.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await givenStateMachine(t.db, "m");
});
afterAll(() => t.drop());

const DEFINITION = JSON.stringify({
  StartAt: "Fan",
  States: {
    Fan: {
      Type: "Map",
      MaxConcurrency: 2,
      ToleratedFailureCount: 1,
      ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED" }, StartAt: "I", States: { I: { Type: "Pass", End: true } } },
      Next: "Again",
    },
    Again: { Type: "Choice", Choices: [], Default: "Fan" },
  },
});

const at = (second: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, second));
/** The fan-out id of the run of the Map entered at `enteredEventId` in these fixtures. */
const runIdAt = (enteredEventId: number) => `run-${enteredEventId}`;
const mapRunOf = (execution: string, enteredEventId: number) =>
  `${execution.replace(":execution:", ":mapRun:")}/Fan:${runIdAt(enteredEventId)}`;

/** Events from id `from` on, each following the one before on the same thread. */
function events(from: number, types: [HistoryEventType, Partial<HistoryEvent>?][]): HistoryEvent[] {
  return types.map(([type, details], i) => ({
    id: from + i,
    previousEventId: from + i - 1,
    timestamp: at(from + i).toISOString(),
    type,
    ...details,
  }));
}

/** MapStateEntered, MapStateStarted and MapRunStarted from `entered` on. */
const mapStart = (execution: string, entered: number, length: number) =>
  events(entered, [
    ["MapStateEntered", { stateEnteredEventDetails: { name: "Fan", input: "[]", inputDetails: { truncated: false } } }],
    ["MapStateStarted", { mapStateStartedEventDetails: { length } }],
    ["MapRunStarted", { mapRunStartedEventDetails: { mapRunArn: mapRunOf(execution, entered) } }],
  ]);

const fan = (id: string, fields: Partial<FanOut>): FanOut => ({
  id,
  kind: "map",
  total: 3,
  nextIndex: 3,
  running: 0,
  succeeded: 0,
  failed: 0,
  maxConcurrency: 2,
  ...fields,
});

const mapThread = (enteredEventId: number, fanOut: FanOut, phase = "awaitChildren") => ({
  threadId: "",
  status: "WAITING" as const,
  position: { threadId: "", phase, stateName: "Fan", enteredEventId, lastEventId: enteredEventId + 2, fanOut } as unknown as Json,
});

type ItemStatus = "RUNNING" | "WAITING" | "SUCCEEDED" | "FAILED" | "ABORTED";
const item = (index: number, fanOutId: string, lastEventId: number, status: ItemStatus, outcome?: string) => ({
  threadId: `Fan#${index}`,
  status,
  position: {
    threadId: `Fan#${index}`,
    hidden: true,
    parent: { threadId: "", index, fanOutId },
    phase: outcome ? "done" : "awaitTask",
    stateName: "I",
    enteredEventId: 0,
    lastEventId,
    ...(outcome ? { outcome: { status: outcome, error: null, cause: null } } : {}),
  } as unknown as Json,
});

const zero = { pending: 0, running: 0, succeeded: 0, failed: 0, timedOut: 0, aborted: 0 };

describe("map runs", () => {
  it("counts a running run's items from its Map's fan-out, and an earlier run of the same Map from its outcome", async () => {
    const { arn } = await givenExecution(t.db, "m", "loop", { definition: DEFINITION });
    const first = mapRunOf(arn, 2);
    const second = mapRunOf(arn, 9);
    await appendEvents(t.db, arn, [
      ...mapStart(arn, 2, 3),
      ...events(5, [["MapRunSucceeded"], ["MapStateSucceeded"], ["MapStateExited"], ["ChoiceStateEntered"]]),
      ...mapStart(arn, 9, 2),
    ]);
    // The second run's items took over the first two item threads; the first run's third is still there.
    await upsertThreads(t.db, arn, [
      mapThread(9, fan(runIdAt(9), { total: 2, running: 1, succeeded: 1 })),
      item(0, runIdAt(9), 11, "SUCCEEDED", "SUCCEEDED"),
      item(1, runIdAt(9), 11, "WAITING"),
      item(2, runIdAt(2), 4, "SUCCEEDED", "SUCCEEDED"),
    ]);

    expect(await getMapRun(t.db, second)).toEqual({
      mapRunArn: second,
      executionArn: arn,
      stateMachineArn: stateMachineArn("m"),
      status: "RUNNING",
      startDate: at(11),
      mapThread: { threadId: "", fanOutId: runIdAt(9) },
      maxConcurrency: 2,
      toleratedFailureCount: 0,
      toleratedFailurePercentage: 0,
      counts: { ...zero, running: 1, succeeded: 1, total: 2 },
      redriveCount: 0,
    });
    // Its items are gone: every one is taken to have ended as the run did, and the limits are the definition's.
    expect(await getMapRun(t.db, first)).toMatchObject({
      status: "SUCCEEDED",
      startDate: at(4),
      stopDate: at(5),
      maxConcurrency: 2,
      toleratedFailureCount: 1,
      counts: { ...zero, succeeded: 3, total: 3 },
    });
    expect((await listMapRuns(t.db, arn)).map((run) => [run.mapRunArn, run.status, run.stopDate])).toEqual([
      [first, "SUCCEEDED", at(5)],
      [second, "RUNNING", undefined],
    ]);
  });

  it("counts a failed run's items by outcome, and takes a run its execution's end cut short as aborted", async () => {
    const { arn } = await givenExecution(t.db, "m", "failed", { definition: DEFINITION });
    await appendEvents(t.db, arn, [...mapStart(arn, 2, 3), ...events(5, [["MapStateFailed"]])]);
    await upsertThreads(t.db, arn, [
      mapThread(2, fan(runIdAt(2), { failed: 2, succeeded: 0, running: 0, toleratedFailureCount: 1 }), "done"),
      item(0, runIdAt(2), 4, "FAILED", "FAILED"),
      item(1, runIdAt(2), 4, "FAILED", "TIMED_OUT"),
      item(2, runIdAt(2), 4, "ABORTED", "ABORTED"),
    ]);
    expect(await getMapRun(t.db, mapRunOf(arn, 2))).toMatchObject({
      status: "FAILED",
      stopDate: at(5),
      toleratedFailureCount: 1,
      counts: { ...zero, failed: 1, timedOut: 1, aborted: 1, total: 3 },
    });

    const stopped = await givenExecution(t.db, "m", "stopped", { definition: DEFINITION });
    await appendEvents(t.db, stopped.arn, mapStart(stopped.arn, 2, 3));
    await upsertThreads(t.db, stopped.arn, [
      mapThread(2, fan(runIdAt(2), { running: 2, nextIndex: 2 })),
      item(0, runIdAt(2), 4, "ABORTED", "ABORTED"),
      item(1, runIdAt(2), 4, "ABORTED", "ABORTED"),
      item(2, runIdAt(2), 4, "ABORTED", "ABORTED"),
    ]);
    await t.db
      .update(executions)
      .set({ status: "ABORTED", stopDate: at(30) })
      .where(eq(executions.arn, stopped.arn));
    expect(await getMapRun(t.db, mapRunOf(stopped.arn, 2))).toMatchObject({
      status: "ABORTED",
      stopDate: at(30),
      counts: { ...zero, aborted: 3, total: 3 },
    });
  });

  it("reports the last redrive of a run", async () => {
    const { arn } = await givenExecution(t.db, "m", "redriven", { definition: DEFINITION });
    const mapRunArn = mapRunOf(arn, 2);
    await appendEvents(t.db, arn, [
      ...mapStart(arn, 2, 3),
      ...events(5, [
        ["MapStateFailed"],
        ["ExecutionFailed"],
        ["ExecutionRedriven", { executionRedrivenEventDetails: { redriveCount: 1 } }],
      ]),
      ...events(8, [["MapRunRedriven", { mapRunRedrivenEventDetails: { mapRunArn, redriveCount: 1 } }]]),
    ]);
    await upsertThreads(t.db, arn, [
      mapThread(2, fan(runIdAt(2), { succeeded: 2, running: 1, nextIndex: 1, rerun: [1], redriveCount: 1 })),
      item(0, runIdAt(2), 4, "SUCCEEDED", "SUCCEEDED"),
      item(1, runIdAt(2), 7, "RUNNING"),
      item(2, runIdAt(2), 4, "SUCCEEDED", "SUCCEEDED"),
    ]);
    expect(await getMapRun(t.db, mapRunArn)).toMatchObject({
      status: "RUNNING",
      redriveCount: 1,
      redriveDate: at(8),
      counts: { ...zero, succeeded: 2, running: 1, total: 3 },
    });
    await appendEvents(t.db, arn, events(9, [["MapRunSucceeded"]]));
    expect(await getMapRun(t.db, mapRunArn)).toMatchObject({ status: "SUCCEEDED", stopDate: at(9), redriveCount: 1 });
  });

  it("names nothing: a map run ARN of no run, and the runs of no execution", async () => {
    const { arn } = await givenExecution(t.db, "m", "plain");
    for (const mapRunArn of [mapRunOf(arn, 2), mapRunOf(executionArn("m", "nobody"), 2), `${arn}/Fan:2`]) {
      await expect(getMapRun(t.db, mapRunArn)).rejects.toThrow(MapRunDoesNotExist);
    }
    expect(await listMapRuns(t.db, arn)).toEqual([]);
    await expect(listMapRuns(t.db, executionArn("m", "nobody"))).rejects.toThrow(ExecutionDoesNotExist);
  });
});
