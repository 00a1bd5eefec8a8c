import { describe, expect, it } from "vitest";
import type { HistoryEvent } from "../../../../../packages/asl/src/history-events.ts";
import { executionOutcomes } from "./state-outcomes.ts";

let clock = 0;
const at = () => new Date(Date.UTC(2024, 0, 1, 0, 0, clock++)).toISOString();
const payload = { inputDetails: { truncated: false } };
const entered = (id: number, prev: number, type: string, name: string, input = "{}"): HistoryEvent =>
  ({ id, previousEventId: prev, timestamp: at(), type, stateEnteredEventDetails: { name, input, ...payload } }) as HistoryEvent;
const exited = (id: number, prev: number, type: string, name: string, output = "{}"): HistoryEvent =>
  ({
    id,
    previousEventId: prev,
    timestamp: at(),
    type,
    stateExitedEventDetails: { name, output, outputDetails: { truncated: false } },
  }) as HistoryEvent;
const plain = (id: number, prev: number, type: string, extra: object = {}): HistoryEvent =>
  ({ id, previousEventId: prev, timestamp: at(), type, ...extra }) as HistoryEvent;
const taskFailed = (id: number, prev: number) =>
  plain(id, prev, "TaskFailed", { taskFailedEventDetails: { error: "Boom", cause: "it broke", resource: "r", resourceType: "lambda" } });

/** A Parallel whose second branch retries a Task, then catches its failure; then a Task fails the execution. */
const parallelHistory: HistoryEvent[] = [
  plain(1, 0, "ExecutionStarted"),
  entered(2, 1, "ParallelStateEntered", "P"),
  plain(3, 2, "ParallelStateStarted"),
  entered(4, 3, "TaskStateEntered", "A"),
  plain(5, 4, "TaskScheduled"),
  entered(6, 3, "TaskStateEntered", "B"),
  plain(7, 6, "TaskScheduled"),
  plain(8, 5, "TaskStarted"),
  plain(9, 8, "TaskSucceeded"),
  exited(10, 9, "TaskStateExited", "A", '{"a":1}'),
  plain(11, 7, "TaskStarted"),
  taskFailed(12, 11),
  plain(13, 12, "TaskScheduled"),
  plain(14, 13, "TaskStarted"),
  taskFailed(15, 14),
  exited(16, 15, "TaskStateExited", "B", '{"Error":"Boom"}'),
  entered(17, 16, "PassStateEntered", "C"),
  exited(18, 17, "PassStateExited", "C"),
  exited(19, 3, "ParallelStateExited", "P", "[]"),
  entered(20, 19, "TaskStateEntered", "F"),
  plain(21, 20, "TaskScheduled"),
  plain(22, 21, "TaskStarted"),
  taskFailed(23, 22),
  plain(24, 23, "ExecutionFailed", { executionFailedEventDetails: { error: "Boom", cause: "it broke" } }),
];

describe("executionOutcomes", () => {
  it("tells succeeded, retried-then-caught and failed states apart, following each thread", () => {
    const { byState, runs, stateOfEvent } = executionOutcomes(parallelHistory, "FAILED");
    expect(Object.fromEntries(byState)).toEqual({ P: "succeeded", A: "succeeded", B: "caught", C: "succeeded", F: "failed" });
    const b = runs.find((r) => r.name === "B")!;
    expect(b).toMatchObject({ retries: 1, error: "Boom", cause: "it broke", output: '{"Error":"Boom"}', input: "{}" });
    expect(runs.find((r) => r.name === "A")!.output).toBe('{"a":1}');
    expect(runs.find((r) => r.name === "F")).toMatchObject({ outcome: "failed", error: "Boom", cause: "it broke" });
    expect(stateOfEvent.get(11)).toBe("B");
    expect(stateOfEvent.get(8)).toBe("A");
    expect(stateOfEvent.get(19)).toBe("P");
    expect(stateOfEvent.has(24)).toBe(false);
  });

  it("shows states still in progress as running, and a task waiting to retry too", () => {
    const partial = parallelHistory.slice(0, 12);
    const { byState } = executionOutcomes(partial, "RUNNING");
    expect(Object.fromEntries(byState)).toEqual({ P: "running", A: "succeeded", B: "running" });
  });

  it("blames a Fail state and a failing Parallel, not the sibling branch it cut short", () => {
    const history: HistoryEvent[] = [
      plain(1, 0, "ExecutionStarted"),
      entered(2, 1, "ParallelStateEntered", "P"),
      plain(3, 2, "ParallelStateStarted"),
      entered(4, 3, "WaitStateEntered", "Slow"),
      entered(5, 3, "FailStateEntered", "Stop"),
      plain(6, 3, "ParallelStateFailed"),
      plain(7, 6, "ExecutionFailed", { executionFailedEventDetails: { error: "Bad", cause: "why" } }),
    ];
    const { byState, runs } = executionOutcomes(history, "FAILED");
    expect(Object.fromEntries(byState)).toEqual({ P: "failed", Slow: "aborted", Stop: "failed" });
    expect(runs.find((r) => r.name === "P")).toMatchObject({ error: "Bad", cause: "why" });
  });

  it("blames the state a failure's cause names when that state logged no failure of its own", () => {
    const cause = "An error occurred while executing the state 'Items' (entered at the event id #5). Invalid path '$.items'";
    const history: HistoryEvent[] = [
      plain(1, 0, "ExecutionStarted"),
      entered(2, 1, "ParallelStateEntered", "Fan"),
      plain(3, 2, "ParallelStateStarted"),
      entered(4, 3, "PassStateEntered", "Email"),
      entered(5, 3, "MapStateEntered", "Items"),
      exited(6, 4, "PassStateExited", "Email"),
      plain(7, 3, "ParallelStateFailed"),
      plain(8, 7, "ExecutionFailed", { executionFailedEventDetails: { error: "States.Runtime", cause } }),
    ];
    const { byState, runs } = executionOutcomes(history, "FAILED");
    expect(Object.fromEntries(byState)).toEqual({ Fan: "failed", Email: "succeeded", Items: "failed" });
    expect(runs.find((r) => r.name === "Items")).toMatchObject({ error: "States.Runtime", cause });
  });

  it("marks the state a stopped execution was in as aborted", () => {
    const history: HistoryEvent[] = [
      plain(1, 0, "ExecutionStarted"),
      entered(2, 1, "WaitStateEntered", "W"),
      plain(3, 2, "ExecutionAborted", { executionAbortedEventDetails: { error: "Stopped" } }),
    ];
    expect(Object.fromEntries(executionOutcomes(history, "ABORTED").byState)).toEqual({ W: "aborted" });
  });

  it("shows a redriven state by its run after the redrive, and closes the run the failure ended", () => {
    const failed: HistoryEvent[] = [
      plain(1, 0, "ExecutionStarted"),
      entered(2, 1, "PassStateEntered", "Label"),
      exited(3, 2, "PassStateExited", "Label"),
      entered(4, 3, "TaskStateEntered", "Book"),
      plain(5, 4, "TaskScheduled"),
      plain(6, 5, "TaskStarted"),
      taskFailed(7, 6),
      plain(8, 7, "ExecutionFailed", { executionFailedEventDetails: { error: "Boom", cause: "it broke" } }),
    ];
    const redriven = [
      ...failed,
      plain(9, 8, "ExecutionRedriven", { executionRedrivenEventDetails: { redriveCount: 1 } }),
      entered(10, 9, "TaskStateEntered", "Book"),
    ];
    const running = executionOutcomes(redriven, "RUNNING");
    expect(Object.fromEntries(running.byState)).toEqual({ Label: "succeeded", Book: "running" });
    expect(running.runs.filter((r) => r.name === "Book").map((r) => [r.outcome, r.redriveCount])).toEqual([
      ["failed", 0],
      ["running", 1],
    ]);

    const succeeded = [
      ...redriven,
      plain(11, 10, "TaskScheduled"),
      plain(12, 11, "TaskStarted"),
      plain(13, 12, "TaskSucceeded"),
      exited(14, 13, "TaskStateExited", "Book"),
      entered(15, 14, "SucceedStateEntered", "Done"),
      exited(16, 15, "SucceedStateExited", "Done"),
      plain(17, 16, "ExecutionSucceeded"),
    ];
    const outcomes = executionOutcomes(succeeded, "SUCCEEDED");
    expect(Object.fromEntries(outcomes.byState)).toEqual({ Label: "succeeded", Book: "succeeded", Done: "succeeded" });
    expect(outcomes.runs.find((r) => r.name === "Book")).toMatchObject({ outcome: "failed", error: "Boom" });
  });

  it("ranks a state run many times (Map iterations) by its worst run", () => {
    const history: HistoryEvent[] = [
      plain(1, 0, "ExecutionStarted"),
      entered(2, 1, "MapStateEntered", "M"),
      plain(3, 2, "MapStateStarted"),
      plain(4, 3, "MapIterationStarted"),
      entered(5, 4, "PassStateEntered", "X"),
      exited(6, 5, "PassStateExited", "X"),
      plain(7, 3, "MapIterationStarted"),
      entered(8, 7, "PassStateEntered", "X"),
    ];
    const outcomes = executionOutcomes(history, "RUNNING");
    expect(outcomes.byState.get("X")).toBe("running");
    expect(outcomes.runs.filter((r) => r.name === "X")).toHaveLength(2);
    expect(outcomes.stateOfEvent.get(7)).toBe("M");
  });
});
