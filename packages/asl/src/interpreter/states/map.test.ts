import { describe, expect, it } from "vitest";
import type { ItemProcessor, MapState, StateMachineDefinition } from "../../definition.ts";
import type { HistoryEvent } from "../../history-events.ts";
import type { Json } from "../../json.ts";
import { runExecution } from "../../runner/run-execution.ts";
import { eventsOf, firstEvent, typesOf } from "./test-support.ts";

const LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:work";

function mapMachine(map: Partial<MapState>, extra: StateMachineDefinition["States"] = {}): StateMachineDefinition {
  return { StartAt: "M", States: { M: { Type: "Map", End: true, ...map } as MapState, ...extra } };
}

const echo: ItemProcessor = { StartAt: "Echo", States: { Echo: { Type: "Pass", End: true } } };

/** Waits as many seconds as the item says, then outputs the item. */
const waitForItem: ItemProcessor = { StartAt: "W", States: { W: { Type: "Wait", SecondsPath: "$", End: true } } };

/** Fails the items equal to "bad", passes the others on. */
const failBad: ItemProcessor = {
  StartAt: "Check",
  States: {
    Check: { Type: "Choice", Choices: [{ Variable: "$", StringEquals: "bad", Next: "Boom" }], Default: "Ok" },
    Boom: { Type: "Fail", Error: "Item.Bad", Cause: "bad item" },
    Ok: { Type: "Pass", End: true },
  },
};

const distributed = (processor: ItemProcessor): ItemProcessor => ({
  ...processor,
  ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
});

/** The largest number of iterations that were between their Started and their end at once. */
function maxRunning(events: HistoryEvent[]): number {
  let running = 0;
  let max = 0;
  for (const e of events) {
    if (e.type === "MapIterationStarted") max = Math.max(max, ++running);
    if (e.type === "MapIterationSucceeded" || e.type === "MapIterationFailed" || e.type === "MapIterationAborted") running--;
  }
  return max;
}

function mapSeconds(events: HistoryEvent[]): number {
  const entered = events.find((e) => e.type === "MapStateEntered");
  const exited = events.find((e) => e.type === "MapStateExited");
  return (Date.parse(exited?.timestamp ?? "") - Date.parse(entered?.timestamp ?? "")) / 1000;
}

describe("Map state", () => {
  it("runs the item processor for each item and keeps item order in its output", async () => {
    const result = await runExecution(mapMachine({ ItemProcessor: waitForItem, ItemsPath: "$.items" }), {
      input: { items: [30, 1, 10, 0] },
    });
    expect(result.status).toBe("SUCCEEDED");
    expect(result.output).toEqual([30, 1, 10, 0]);
    const finishOrder = eventsOf(result, "MapIterationSucceeded").map((e) => e.mapIterationSucceededEventDetails?.index);
    expect(finishOrder).toEqual([3, 1, 2, 0]);
    expect(firstEvent(result, "MapStateStarted").mapStateStartedEventDetails).toEqual({ length: 4 });
  });

  it("builds each item's input with ItemSelector from $$.Map.Item.Index and Value", async () => {
    const result = await runExecution(
      mapMachine({
        ItemProcessor: echo,
        ItemsPath: "$.items",
        ItemSelector: { "index.$": "$$.Map.Item.Index", "value.$": "$$.Map.Item.Value", "shared.$": "$.shared" },
      }),
      { input: { items: ["a", { b: 1 }], shared: "s" } },
    );
    expect(result.output).toEqual([
      { index: 0, value: "a", shared: "s" },
      { index: 1, value: { b: 1 }, shared: "s" },
    ]);
  });

  it("reads the item index and value from $states.context.Map.Item in JSONata", async () => {
    const result = await runExecution(
      {
        QueryLanguage: "JSONata",
        StartAt: "M",
        States: {
          M: {
            Type: "Map",
            Items: "{% $states.input.xs %}",
            ItemProcessor: echo,
            ItemSelector: { i: "{% $states.context.Map.Item.Index %}", twice: "{% $states.context.Map.Item.Value * 2 %}" },
            End: true,
          },
        },
      },
      { input: { xs: [5, 6] } },
    );
    expect(result.output).toEqual([
      { i: 0, twice: 10 },
      { i: 1, twice: 12 },
    ]);
  });

  it("succeeds with an empty array and runs no iteration", async () => {
    const result = await runExecution(mapMachine({ ItemProcessor: failBad }), { input: [] });
    expect(result.status).toBe("SUCCEEDED");
    expect(result.output).toEqual([]);
    expect(typesOf(result)).toEqual([
      "ExecutionStarted",
      "MapStateEntered",
      "MapStateStarted",
      "MapStateSucceeded",
      "MapStateExited",
      "ExecutionSucceeded",
    ]);
  });

  it("fails with States.Runtime when ItemsPath is not an array", async () => {
    const result = await runExecution(mapMachine({ ItemProcessor: echo, ItemsPath: "$.items" }), { input: { items: { not: "array" } } });
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("States.Runtime");
  });

  it.each([
    [1, 1, 40],
    [2, 2, 20],
    [0, 4, 10],
  ])("with MaxConcurrency %i runs at most %i iterations at a time", async (maxConcurrency, expectedRunning, expectedSeconds) => {
    const result = await runExecution(mapMachine({ ItemProcessor: waitForItem, MaxConcurrency: maxConcurrency }), {
      input: [10, 10, 10, 10],
    });
    expect(result.output).toEqual([10, 10, 10, 10]);
    expect(maxRunning(result.events)).toBe(expectedRunning);
    expect(mapSeconds(result.events)).toBe(expectedSeconds);
  });

  it("starts items in index order under MaxConcurrency", async () => {
    const result = await runExecution(mapMachine({ ItemProcessor: waitForItem, MaxConcurrency: 2 }), { input: [5, 1, 1, 1] });
    const started = eventsOf(result, "MapIterationStarted").map((e) => e.mapIterationStartedEventDetails?.index);
    expect(started).toEqual([0, 1, 2, 3]);
    // Items 1..3 take one second each through the second slot while item 0 holds the first for five.
    expect(mapSeconds(result.events)).toBe(5);
  });

  it("fails with the failing iteration's error when no failure is tolerated", async () => {
    const result = await runExecution(mapMachine({ ItemProcessor: failBad }), { input: ["ok", "bad", "ok"] });
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("Item.Bad");
    expect(result.cause).toBe("bad item");
    expect(typesOf(result)).toContain("MapIterationFailed");
    expect(typesOf(result)).toContain("MapStateFailed");
  });

  it("tolerates up to ToleratedFailureCount failed items", async () => {
    const result = await runExecution(mapMachine({ ItemProcessor: distributed(failBad), ToleratedFailureCount: 1 }), {
      input: ["a", "bad", "c"],
    });
    expect(result.status).toBe("SUCCEEDED");
    expect(result.output).toEqual(["a", { Error: "Item.Bad", Cause: "bad item" }, "c"]);
  });

  it("fails with States.ExceedToleratedFailureThreshold beyond ToleratedFailureCount", async () => {
    const result = await runExecution(mapMachine({ ItemProcessor: distributed(failBad), ToleratedFailureCount: 1 }), {
      input: ["bad", "b", "bad"],
    });
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("States.ExceedToleratedFailureThreshold");
  });

  it.each([
    [["bad", "bad", "c", "d"], "SUCCEEDED"],
    [["bad", "bad", "bad", "d"], "FAILED"],
  ])("with ToleratedFailurePercentage 50, items %j end %s", async (input, status) => {
    const result = await runExecution(mapMachine({ ItemProcessor: distributed(failBad), ToleratedFailurePercentage: 50 }), { input });
    expect(result.status).toBe(status);
    if (status === "FAILED") expect(result.error).toBe("States.ExceedToleratedFailureThreshold");
  });

  it("catches an iteration failure with Catch on the Map", async () => {
    const result = await runExecution(
      mapMachine(
        { ItemProcessor: failBad, Catch: [{ ErrorEquals: ["States.ALL"], Next: "Caught" }] },
        { Caught: { Type: "Pass", End: true } },
      ),
      {
        input: ["bad"],
      },
    );
    expect(result.output).toEqual({ Error: "Item.Bad", Cause: "bad item" });
  });

  it("retries the whole Map when Retry matches an iteration's error", async () => {
    const processor: ItemProcessor = { StartAt: "T", States: { T: { Type: "Task", Resource: LAMBDA, End: true } } };
    const result = await runExecution(
      mapMachine({ ItemProcessor: processor, Retry: [{ ErrorEquals: ["Flaky"], IntervalSeconds: 2, MaxAttempts: 1 }] }),
      {
        input: [1],
        mocks: { T: [{ Throw: { Error: "Flaky" } }, { Return: "recovered" }] },
      },
    );
    expect(result.status).toBe("SUCCEEDED");
    expect(result.output).toEqual(["recovered"]);
    const started = eventsOf(result, "MapStateStarted");
    expect(started).toHaveLength(2);
    expect((Date.parse(started[1]?.timestamp ?? "") - Date.parse(started[0]?.timestamp ?? "")) / 1000).toBe(2);
  });

  it("applies ResultSelector and ResultPath to the array of results", async () => {
    const result = await runExecution(
      mapMachine({ ItemProcessor: echo, ItemsPath: "$.xs", ResultSelector: { "n.$": "States.ArrayLength($)" }, ResultPath: "$.count" }),
      {
        input: { xs: [1, 2, 3] },
      },
    );
    expect(result.output).toEqual({ xs: [1, 2, 3], count: { n: 3 } });
  });

  it("records no iteration events for a distributed Map, only the map run", async () => {
    const result = await runExecution(mapMachine({ ItemProcessor: distributed(echo) }), { input: [1, 2] });
    expect(result.output).toEqual([1, 2]);
    expect(typesOf(result)).toEqual([
      "ExecutionStarted",
      "MapStateEntered",
      "MapStateStarted",
      "MapRunStarted",
      "MapRunSucceeded",
      "MapStateSucceeded",
      "MapStateExited",
      "ExecutionSucceeded",
    ]);
  });

  it("records MapRunFailed, with the Map's error, before MapStateFailed when a distributed Map fails", async () => {
    const result = await runExecution(mapMachine({ ItemProcessor: distributed(failBad), ToleratedFailureCount: 0 }), { input: ["bad"] });
    expect(typesOf(result)).toEqual([
      "ExecutionStarted",
      "MapStateEntered",
      "MapStateStarted",
      "MapRunStarted",
      "MapRunFailed",
      "MapStateFailed",
      "ExecutionFailed",
    ]);
    expect(firstEvent(result, "MapRunFailed").mapRunFailedEventDetails).toEqual({
      error: "States.ExceedToleratedFailureThreshold",
      cause: "The specified tolerated failure threshold was exceeded",
    });
    const untolerant = await runExecution(mapMachine({ ItemProcessor: distributed(failBad) }), { input: ["bad"] });
    expect(firstEvent(untolerant, "MapRunFailed").mapRunFailedEventDetails).toEqual({ error: "Item.Bad", cause: "bad item" });
  });

  it("starts a new Map Run, with an ARN of its own, when Retry runs a distributed Map again", async () => {
    const processor: ItemProcessor = distributed({ StartAt: "T", States: { T: { Type: "Task", Resource: LAMBDA, End: true } } });
    const result = await runExecution(
      mapMachine({ ItemProcessor: processor, Retry: [{ ErrorEquals: ["Flaky"], IntervalSeconds: 1, MaxAttempts: 1 }] }),
      { input: [1], mocks: { T: [{ Throw: { Error: "Flaky" } }, { Return: "recovered" }] } },
    );
    expect(result.status).toBe("SUCCEEDED");
    const runs = eventsOf(result, "MapRunStarted").map((e) => e.mapRunStartedEventDetails?.mapRunArn);
    expect(runs).toHaveLength(2);
    expect(new Set(runs).size).toBe(2);
    expect(typesOf(result).filter((t) => t.startsWith("MapRun"))).toEqual([
      "MapRunStarted",
      "MapRunFailed",
      "MapRunStarted",
      "MapRunSucceeded",
    ]);
  });

  it("runs nested Maps", async () => {
    const inner: ItemProcessor = { StartAt: "Inner", States: { Inner: { Type: "Map", ItemProcessor: echo, End: true } } };
    const result = await runExecution(mapMachine({ ItemProcessor: inner }), { input: [[1, 2], [3]] as Json });
    expect(result.output).toEqual([[1, 2], [3]]);
  });
});
