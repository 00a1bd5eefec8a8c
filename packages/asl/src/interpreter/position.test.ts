import { describe, expect, it } from "vitest";
import { copyPosition, type ThreadPosition } from "./position.ts";

describe("copyPosition", () => {
  it("copies every field, so that a field added to ThreadPosition must be added here too", () => {
    // `Required` makes the type checker ask for any new field.
    const full: Required<ThreadPosition> = {
      threadId: "Map#1",
      scope: [{ state: "Map" }],
      parent: { threadId: "", index: 1, fanOutId: "f" },
      phase: "awaitTask",
      stateName: "T",
      stateInput: { a: 1 },
      enteredEventId: 4,
      enteredTime: "2024-01-01T00:00:00.000Z",
      lastEventId: 5,
      retryCounts: [1],
      variables: { v: 2 },
      mapItem: { index: 1, value: "x" },
      hidden: false,
      childRun: { input: { a: 1 }, startDate: "2024-01-01T00:00:00.000Z" },
      task: { id: "t", resource: "r", resourceType: "lambda", resourceName: "invoke", started: true },
      timerId: "timer",
      fanOut: { id: "f", kind: "map", total: 1, nextIndex: 1, running: 1, succeeded: 0, failed: 0, maxConcurrency: 0 },
      outcome: { status: "SUCCEEDED", output: null },
      draws: 3,
    };
    const copy = copyPosition(full);
    expect(copy).toEqual(full);
    expect(copy).not.toBe(full);
  });

  it("leaves out the fields the original does not have", () => {
    const root: ThreadPosition = {
      threadId: "",
      scope: [],
      phase: "enter",
      stateName: "A",
      stateInput: null,
      enteredEventId: 0,
      enteredTime: "2024-01-01T00:00:00.000Z",
      lastEventId: 1,
      retryCounts: [],
      variables: {},
    };
    expect(Object.keys(copyPosition(root))).toEqual(Object.keys(root));
  });
});
