import { describe, expect, it } from "vitest";
import type { ItemProcessor, StateMachineDefinition, StatesBlock } from "../definition.ts";
import type { Json } from "../json.ts";
import { TaskError } from "../runner/run-execution.ts";
import { DrivenExecution } from "./redrive-driver.ts";

const fn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const task = (name: string, next?: string) => ({ Type: "Task" as const, Resource: fn(name), ...(next ? { Next: next } : { End: true }) });

/** Handlers that echo a tag, and one (`work`) that fails for the inputs `failing` holds. */
function handlers(failing: Set<Json>) {
  return {
    [fn("a")]: () => "a",
    [fn("b")]: () => "b",
    [fn("prep")]: (input: Json) => input,
    [fn("work")]: (input: Json) => {
      if (failing.has(JSON.stringify(input))) throw new TaskError("Work.Broken", `cannot work on ${JSON.stringify(input)}`);
      return { worked: input };
    },
  };
}

/** An item processor that prepares the item, then works on it. */
const prepareThenWork: ItemProcessor = { StartAt: "Prep", States: { Prep: task("prep", "Work"), Work: task("work") } };

function mapMachine(processor: ItemProcessor, extra: Record<string, unknown> = {}): StateMachineDefinition {
  return { StartAt: "M", States: { M: { Type: "Map", ItemProcessor: processor, End: true, ...extra } } } as StateMachineDefinition;
}

describe("redriving a Parallel state", () => {
  const branches: StatesBlock[] = [
    { StartAt: "A", States: { A: task("a") } },
    { StartAt: "Prep", States: { Prep: task("prep", "Work"), Work: task("work") } },
  ];
  const machine: StateMachineDefinition = { StartAt: "Par", States: { Par: { Type: "Parallel", Branches: branches, End: true } } };

  it("runs only the failed branch again, from its failed state, and keeps branch order in the output", async () => {
    const failing = new Set<Json>(['"job"']);
    const run = new DrivenExecution(machine, handlers(failing), "job");
    expect(await run.run()).toMatchObject({ status: "FAILED", error: "Work.Broken" });
    failing.clear();
    expect(await run.redrive()).toEqual({ status: "SUCCEEDED", output: ["a", { worked: "job" }] });
    expect(run.callsOf(fn("a"))).toHaveLength(1);
    expect(run.callsOf(fn("prep"))).toHaveLength(1);
    expect(run.callsOf(fn("work"))).toHaveLength(2);
    expect(run.typesSince("ExecutionRedriven")).toEqual([
      "ExecutionRedriven",
      "TaskStateEntered",
      "LambdaFunctionScheduled",
      "LambdaFunctionStarted",
      "LambdaFunctionSucceeded",
      "TaskStateExited",
      "ParallelStateExited",
      "ExecutionSucceeded",
    ]);
    expect(run.events.find((e) => e.type === "ExecutionRedriven")?.executionRedrivenEventDetails).toEqual({ redriveCount: 1 });
  });

  it("can be redriven again while the branch still fails, counting the redrives", async () => {
    const failing = new Set<Json>(['"job"']);
    const run = new DrivenExecution(machine, handlers(failing), "job");
    await run.run();
    expect(await run.redrive()).toMatchObject({ status: "FAILED", error: "Work.Broken" });
    failing.clear();
    expect(await run.redrive()).toEqual({ status: "SUCCEEDED", output: ["a", { worked: "job" }] });
    expect(run.callsOf(fn("a"))).toHaveLength(1);
    expect(run.callsOf(fn("work"))).toHaveLength(3);
    expect(run.events.filter((e) => e.type === "ExecutionRedriven").map((e) => e.executionRedrivenEventDetails)).toEqual([
      { redriveCount: 1 },
      { redriveCount: 2 },
    ]);
  });

  it("runs again whole when it failed with States.DataLimitExceeded", async () => {
    const big: StateMachineDefinition = {
      StartAt: "Par",
      States: {
        Par: {
          Type: "Parallel",
          End: true,
          Branches: [
            { StartAt: "X", States: { X: { Type: "Pass", Result: "x".repeat(60), End: true } } },
            { StartAt: "Y", States: { Y: { Type: "Pass", Result: "y".repeat(60), End: true } } },
            { StartAt: "B", States: { B: task("b") } },
          ],
        },
      },
    };
    const run = new DrivenExecution(big, handlers(new Set()));
    // Each branch's output fits, the three together do not.
    run.maxPayloadBytes = 100;
    expect(await run.run()).toMatchObject({ status: "FAILED", error: "States.DataLimitExceeded" });
    run.maxPayloadBytes = undefined;
    expect(await run.redrive()).toMatchObject({ status: "SUCCEEDED", output: ["x".repeat(60), "y".repeat(60), "b"] });
    expect(run.callsOf(fn("b"))).toHaveLength(2);
    expect(run.typesSince("ExecutionRedriven").slice(0, 3)).toEqual(["ExecutionRedriven", "ParallelStateEntered", "ParallelStateStarted"]);
  });
});

describe("redriving an inline Map state", () => {
  it("keeps the items that succeeded, redrives the failed one from its failed state, starts the others, within MaxConcurrency", async () => {
    const failing = new Set<Json>(["1"]);
    const run = new DrivenExecution(mapMachine(prepareThenWork, { MaxConcurrency: 1 }), handlers(failing), [0, 1, 2, 3]);
    expect(await run.run()).toMatchObject({ status: "FAILED", error: "Work.Broken" });
    expect(run.callsOf(fn("prep"))).toEqual([0, 1]);
    failing.clear();
    const before = run.started.length;

    expect(await run.redrive()).toEqual({ status: "SUCCEEDED", output: [0, 1, 2, 3].map((worked) => ({ worked })) });
    expect(run.callsOf(fn("prep"))).toEqual([0, 1, 2, 3]);
    expect(run.callsOf(fn("work"))).toEqual([0, 1, 1, 2, 3]);
    // One item at a time, the failed one first, then the ones that never started.
    expect(run.started.slice(before)).toEqual([[1], [2], [3]]);
    const iterationsStarted = run.events
      .slice(run.events.findIndex((e) => e.type === "ExecutionRedriven"))
      .filter((e) => e.type === "MapIterationStarted")
      .map((e) => e.mapIterationStartedEventDetails?.index);
    expect(iterationsStarted).toEqual([2, 3]);
  });

  it("resumes a failed Parallel inside a failed item, keeping the branch that succeeded", async () => {
    const failing = new Set<Json>(["1"]);
    const processor: ItemProcessor = {
      StartAt: "Both",
      States: {
        Both: {
          Type: "Parallel",
          End: true,
          Branches: [
            { StartAt: "A", States: { A: task("a") } },
            { StartAt: "Work", States: { Work: task("work") } },
          ],
        },
      },
    };
    const run = new DrivenExecution(mapMachine(processor), handlers(failing), [0, 1]);
    expect(await run.run()).toMatchObject({ status: "FAILED" });
    const aCalls = run.callsOf(fn("a")).length;
    failing.clear();
    expect(await run.redrive()).toEqual({
      status: "SUCCEEDED",
      output: [
        ["a", { worked: 0 }],
        ["a", { worked: 1 }],
      ],
    });
    expect(run.callsOf(fn("a"))).toHaveLength(aCalls);
    expect(run.callsOf(fn("work"))).toEqual([0, 1, 1]);
  });
});

describe("redriving a distributed Map state (Map Run)", () => {
  const distributed = (executionType: "STANDARD" | "EXPRESS"): StateMachineDefinition =>
    mapMachine(
      { ...prepareThenWork, ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: executionType } },
      { ItemSelector: { "n.$": "$$.Map.Item.Value" } },
    );
  const failingItem = () => new Set<Json>([JSON.stringify({ n: 1 })]);

  it("redrives a Standard child workflow from its failed state and records MapRunRedriven", async () => {
    const failing = failingItem();
    const run = new DrivenExecution(distributed("STANDARD"), handlers(failing), [0, 1, 2]);
    expect(await run.run()).toMatchObject({ status: "FAILED", error: "Work.Broken" });
    failing.clear();
    expect(await run.redrive()).toEqual({ status: "SUCCEEDED", output: [0, 1, 2].map((n) => ({ worked: { n } })) });
    expect(run.callsOf(fn("prep"))).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
    const worked = run.callsOf(fn("work")).map((input) => (input as { n: number }).n);
    expect(worked.sort()).toEqual([0, 1, 1, 2]);
    expect(run.typesSince("ExecutionRedriven")).toEqual([
      "ExecutionRedriven",
      "MapRunRedriven",
      "MapRunSucceeded",
      "MapStateSucceeded",
      "MapStateExited",
      "ExecutionSucceeded",
    ]);
    const mapRunArn = run.events.find((e) => e.type === "MapRunStarted")?.mapRunStartedEventDetails?.mapRunArn;
    expect(run.events.find((e) => e.type === "MapRunRedriven")?.mapRunRedrivenEventDetails).toEqual({ mapRunArn, redriveCount: 1 });
  });

  it("starts an Express child workflow over from its first state with the same item input", async () => {
    const failing = failingItem();
    const run = new DrivenExecution(distributed("EXPRESS"), handlers(failing), [0, 1, 2]);
    expect(await run.run()).toMatchObject({ status: "FAILED" });
    const prepared = run.callsOf(fn("prep")).length;
    failing.clear();
    expect(await run.redrive()).toEqual({ status: "SUCCEEDED", output: [0, 1, 2].map((n) => ({ worked: { n } })) });
    expect(run.callsOf(fn("prep")).slice(prepared)).toContainEqual({ n: 1 });
    expect(run.callsOf(fn("prep")).filter((input) => JSON.stringify(input) === JSON.stringify({ n: 0 }))).toHaveLength(1);
  });
});
