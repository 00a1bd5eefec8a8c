import { describe, expect, it } from "vitest";
import type { StateMachineDefinition } from "../definition.ts";
import type { HistoryEvent } from "../history-events.ts";
import { eventsOf, typesOf } from "../interpreter/states/test-support.ts";
import { virtualClock } from "./clock.ts";
import { runExecution } from "./run-execution.ts";

const LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:work";

/** Exercises every kind of thread: Map iterations with tasks and waits inside a Parallel branch, a retry and a catch. */
const busy: StateMachineDefinition = {
  StartAt: "Setup",
  States: {
    Setup: { Type: "Pass", Assign: { k: 1 }, Next: "Fan" },
    Fan: {
      Type: "Parallel",
      Branches: [
        {
          StartAt: "Each",
          States: {
            Each: {
              Type: "Map",
              MaxConcurrency: 2,
              ItemProcessor: {
                StartAt: "Work",
                States: {
                  Work: { Type: "Task", Resource: LAMBDA, Retry: [{ ErrorEquals: ["Flaky"], IntervalSeconds: 1 }], Next: "Rest" },
                  Rest: { Type: "Wait", Seconds: 2, End: true },
                },
              },
              End: true,
            },
          },
        },
        {
          StartAt: "Boom",
          States: {
            Boom: {
              Type: "Task",
              Resource: "arn:aws:states:::lambda:invoke",
              Catch: [{ ErrorEquals: ["States.ALL"], Next: "Fine" }],
              End: true,
            },
            Fine: { Type: "Pass", End: true },
          },
        },
      ],
      End: true,
    },
  },
};

function checkHistory(events: HistoryEvent[]): void {
  expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
  expect(events[0]?.previousEventId).toBe(0);
  for (const e of events.slice(1)) {
    expect(e.previousEventId, `event ${e.id} (${e.type})`).toBeGreaterThan(0);
    expect(e.previousEventId, `event ${e.id} (${e.type})`).toBeLessThan(e.id);
  }
  const times = events.map((e) => Date.parse(e.timestamp));
  expect(times).toEqual([...times].sort((a, b) => a - b));
}

describe("runExecution history", () => {
  it("numbers events 1..n without gaps, each pointing back at an earlier event, in time order", async () => {
    const result = await runExecution(busy, {
      input: [1, 2, 3],
      mocks: { Work: [{ Throw: { Error: "Flaky" } }, { Return: "done" }], Boom: [{ Throw: { Error: "Nope" } }] },
    });
    expect(result.status).toBe("SUCCEEDED");
    expect(result.output).toEqual([["done", "done", "done"], { Error: "Nope" }]);
    expect(result.events.length).toBeGreaterThan(40);
    checkHistory(result.events);
  });

  it("links each event of a thread to that thread's previous event", async () => {
    const result = await runExecution(busy, { input: [1], mocks: { Work: [{ Return: "done" }], Boom: [{ Return: "ok" }] } });
    const byId = new Map(result.events.map((e) => [e.id, e]));
    const waitExited = eventsOf(result, "WaitStateExited")[0] as HistoryEvent;
    expect(byId.get(waitExited.previousEventId)?.type).toBe("WaitStateEntered");
    const iterationStarted = eventsOf(result, "MapIterationStarted")[0] as HistoryEvent;
    expect(byId.get(iterationStarted.previousEventId)?.type).toBe("MapStateStarted");
  });

  it("starts with ExecutionStarted carrying the input, at the clock's time", async () => {
    const result = await runExecution(
      { StartAt: "P", States: { P: { Type: "Pass", End: true } } },
      { input: { a: 1 }, clock: virtualClock(new Date("2030-01-02T03:04:05.000Z")) },
    );
    expect(result.events[0]).toMatchObject({ id: 1, type: "ExecutionStarted", timestamp: "2030-01-02T03:04:05.000Z" });
    expect(result.events[0]?.executionStartedEventDetails?.input).toBe('{"a":1}');
    expect(result.events.at(-1)?.executionSucceededEventDetails?.output).toBe('{"a":1}');
  });
});

describe("runExecution tasks", () => {
  it("prefers a mock over a handler for the same state", async () => {
    const definition: StateMachineDefinition = { StartAt: "T", States: { T: { Type: "Task", Resource: LAMBDA, End: true } } };
    const result = await runExecution(definition, { mocks: { T: [{ Return: "mock" }] }, handlers: { [LAMBDA]: () => "handler" } });
    expect(result.output).toBe("mock");
  });

  it("turns a handler's thrown Error into the task error, named after the Error class", async () => {
    const definition: StateMachineDefinition = { StartAt: "T", States: { T: { Type: "Task", Resource: LAMBDA, End: true } } };
    const result = await runExecution(definition, {
      handlers: {
        [LAMBDA]: () => {
          throw new RangeError("too far");
        },
      },
    });
    expect(result).toMatchObject({ status: "FAILED", error: "RangeError", cause: "too far" });
  });
});

describe("runExecution limits", () => {
  it("ends an execution at its TimeoutSeconds, aborting what runs inside it", async () => {
    const definition: StateMachineDefinition = {
      TimeoutSeconds: 5,
      StartAt: "Par",
      States: {
        Par: { Type: "Parallel", End: true, Branches: [{ StartAt: "W", States: { W: { Type: "Wait", Seconds: 10, End: true } } }] },
      },
    };
    const result = await runExecution(definition, { clock: virtualClock(new Date("2024-01-01T00:00:00.000Z")) });
    expect(result).toMatchObject({ status: "TIMED_OUT", error: "States.Timeout" });
    expect(typesOf(result)).toEqual([
      "ExecutionStarted",
      "ParallelStateEntered",
      "ParallelStateStarted",
      "WaitStateEntered",
      "ExecutionTimedOut",
    ]);
    expect(result.events.at(-1)?.timestamp).toBe("2024-01-01T00:00:05.000Z");
  });

  it("runs a long loop of Pass and Choice states to its end", async () => {
    const definition: StateMachineDefinition = {
      QueryLanguage: "JSONata",
      StartAt: "Check",
      States: {
        Check: { Type: "Choice", Choices: [{ Condition: "{% $states.input < 6000 %}", Next: "Inc" }], Default: "Done" },
        Inc: { Type: "Pass", Output: "{% $states.input + 1 %}", Next: "Check" },
        Done: { Type: "Succeed" },
      },
    };
    const result = await runExecution(definition, { input: 0 });
    expect(result.status).toBe("SUCCEEDED");
    expect(result.output).toBe(6000);
    // ExecutionStarted, 6000 × (Choice + Pass), the last Choice, Succeed, ExecutionSucceeded.
    expect(result.events).toHaveLength(1 + 6000 * 4 + 2 + 2 + 1);
    checkHistory(result.events);
  });

  it("fails an execution whose history reaches the limit, instead of running forever", async () => {
    const definition: StateMachineDefinition = { StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", Next: "A" } } };
    const result = await runExecution(definition, { maxHistoryEvents: 100 });
    expect(result).toMatchObject({
      status: "FAILED",
      error: "States.Runtime",
      cause: "The execution reached the maximum number of history events (100).",
    });
    // The state entered with 99 events in the history completes (100, 101), then the execution fails.
    expect(result.events).toHaveLength(102);
    expect(result.events.at(-1)?.type).toBe("ExecutionFailed");
  });

  it("applies AWS's 25,000 event limit by default", async () => {
    const definition: StateMachineDefinition = { StartAt: "A", States: { A: { Type: "Pass", Next: "A" } } };
    const result = await runExecution(definition);
    expect(result.error).toBe("States.Runtime");
    expect(result.events).toHaveLength(25_002);
  });
});

describe("runExecution fan-out", () => {
  it("ignores children of an earlier run of a Parallel state that a Catch led back to", async () => {
    // Branch 0 fails on the first run only; branch 2 has already finished by then, and its report must not
    // count for the second run, which still waits for branch 1.
    const definition: StateMachineDefinition = {
      StartAt: "Par",
      States: {
        Par: {
          Type: "Parallel",
          Branches: [
            {
              StartAt: "Check",
              States: {
                Check: { Type: "Choice", Choices: [{ Variable: "$.attempt", NumericEquals: 0, Next: "Fail" }], Default: "A" },
                Fail: { Type: "Fail", Error: "FirstTime" },
                A: { Type: "Pass", Result: "a", End: true },
              },
            },
            { StartAt: "Slow", States: { Slow: { Type: "Wait", Seconds: 1, Next: "B" }, B: { Type: "Pass", Result: "b", End: true } } },
            { StartAt: "C", States: { C: { Type: "Pass", Result: "c", End: true } } },
          ],
          Catch: [{ ErrorEquals: ["FirstTime"], ResultPath: null, Next: "Again" }],
          End: true,
        },
        Again: { Type: "Pass", Result: 1, ResultPath: "$.attempt", Next: "Par" },
      },
    };
    const result = await runExecution(definition, { input: { attempt: 0 } });
    expect(result.status).toBe("SUCCEEDED");
    expect(result.output).toEqual(["a", "b", "c"]);
    const types = typesOf(result);
    expect(types.lastIndexOf("WaitStateExited")).toBeLessThan(types.lastIndexOf("ParallelStateExited"));
  });
});
