import type { HistoryEvent, HistoryEventType } from "@stepwise/asl";
import { describe, expect, it } from "vitest";
import { historyProblem } from "./history-check.ts";

/** Events from `[type, previousEventId]` pairs, ids 1..n. */
const history = (...events: Array<[HistoryEventType, number]>): HistoryEvent[] =>
  events.map(([type, previousEventId], i) => ({ id: i + 1, previousEventId, type, timestamp: "2026-01-01T00:00:00.000Z" }));

const oneTask: Array<[HistoryEventType, number]> = [
  ["ExecutionStarted", 0],
  ["TaskStateEntered", 1],
  ["TaskScheduled", 2],
  ["TaskStarted", 3],
  ["TaskSucceeded", 4],
  ["TaskStateExited", 5],
  ["ExecutionSucceeded", 6],
];
const succeeded = { terminal: "ExecutionSucceeded" as const, taskSucceeded: [1, 1] as const, taskFailed: [0, 0] as const };

describe("the chaos test's history check", () => {
  it("accepts a well-formed history", () => {
    expect(historyProblem(history(...oneTask), succeeded)).toBeUndefined();
  });

  it("finds a gap, a duplicate id and a history that does not start with ExecutionStarted", () => {
    const gap = history(...oneTask).filter((e) => e.id !== 4);
    expect(historyProblem(gap, succeeded)).toMatch(/gap or a duplicate/);
    const events = history(...oneTask);
    const duplicate = [...events.slice(0, 3), events[2] as HistoryEvent, ...events.slice(3)];
    expect(historyProblem(duplicate, succeeded)).toMatch(/gap or a duplicate/);
    expect(historyProblem(history(...oneTask.slice(1)), succeeded)).toMatch(/starts with TaskStateEntered/);
  });

  it("finds a transition applied twice: one event followed by two", () => {
    // The start applied twice from the same ExecutionStarted, as a stale thread position would.
    const doubled = history(
      ["ExecutionStarted", 0],
      ["TaskStateEntered", 1],
      ["TaskScheduled", 2],
      ["TaskStateEntered", 1],
      ["TaskScheduled", 4],
      ["TaskStarted", 5],
      ["TaskSucceeded", 6],
      ["TaskStateExited", 7],
      ["ExecutionSucceeded", 8],
    );
    expect(historyProblem(doubled, succeeded)).toMatch(/event 1 ExecutionStarted is followed 2 times/);
  });

  it("finds events out of order, a terminal event that is not last, and the wrong terminal event", () => {
    const skipped = history(...oneTask.slice(0, 3), ["TaskSucceeded", 3], ["TaskStateExited", 4], ["ExecutionSucceeded", 5]);
    expect(historyProblem(skipped, succeeded)).toMatch(/TaskSucceeded follows TaskScheduled/);
    expect(historyProblem(history(...oneTask, ["TaskStateEntered", 7]), succeeded)).toMatch(
      /terminal event 7 ExecutionSucceeded is not last/,
    );
    expect(historyProblem(history(...oneTask), { ...succeeded, terminal: "ExecutionFailed" })).toMatch(/expected ExecutionFailed/);
  });

  it("counts task outcomes against what the input dictates", () => {
    expect(historyProblem(history(...oneTask), { ...succeeded, taskSucceeded: [2, 2] })).toMatch(/1 task successes, expected 2..2/);
  });

  it("lets a Parallel fan out into branches, but join only once", () => {
    const fanOut: Array<[HistoryEventType, number]> = [
      ["ExecutionStarted", 0],
      ["ParallelStateEntered", 1],
      ["ParallelStateStarted", 2],
      ["PassStateEntered", 3],
      ["PassStateEntered", 3],
      ["PassStateExited", 4],
      ["PassStateExited", 5],
      ["ParallelStateExited", 3],
    ];
    const none = { terminal: "ExecutionSucceeded" as const, taskSucceeded: [0, 0] as const, taskFailed: [0, 0] as const };
    expect(historyProblem(history(...fanOut, ["ExecutionSucceeded", 8]), none)).toBeUndefined();
    expect(historyProblem(history(...fanOut, ["ParallelStateExited", 3], ["ExecutionSucceeded", 9]), none)).toMatch(
      /event 3 ParallelStateStarted is followed 2 times/,
    );
  });
});
