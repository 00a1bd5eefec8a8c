import { assertWellFormedHistory, createTestRuntime, eventTypes, type TestRuntime } from "@stepwise/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const lambda = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

describe("waits, branches and maps run through the queues", () => {
  let t: TestRuntime;
  let active = 0;
  let peak = 0;

  beforeAll(async () => {
    t = await createTestRuntime();
    t.worker({
      handlers: {
        square: async (input) => {
          active += 1;
          peak = Math.max(peak, active);
          await new Promise((r) => setTimeout(r, 30));
          active -= 1;
          return (input as number) * (input as number);
        },
      },
    });
    t.scheduler();
  });
  afterAll(() => t.close());

  it("state data that Postgres cannot store (U+0000 made by an intrinsic) fails the execution with States.Runtime instead of hanging", async () => {
    const arn = await t.createMachine({
      StartAt: "P",
      States: { P: { Type: "Pass", Parameters: { "decoded.$": "States.StringToJson($.encoded)" }, End: true } },
    });
    const { execution, history } = await t.run(arn, { encoded: '"a\\u0000b"' });
    expect(execution).toMatchObject({ status: "FAILED", error: "States.Runtime" });
    expect(execution.cause).toContain("U+0000");
    assertWellFormedHistory(history);
  });

  it("a Wait state resumes after its seconds through a durable timer", async () => {
    const arn = await t.createMachine({
      StartAt: "W",
      States: { W: { Type: "Wait", Seconds: 1, Next: "Done" }, Done: { Type: "Succeed" } },
    });
    const { execution, history } = await t.run(arn, { x: 1 });
    expect(execution.status).toBe("SUCCEEDED");
    const entered = Date.parse(history.find((e) => e.type === "WaitStateEntered")!.timestamp);
    const exited = Date.parse(history.find((e) => e.type === "WaitStateExited")!.timestamp);
    expect(exited - entered).toBeGreaterThanOrEqual(1000);
  });

  it("Parallel branches run as their own jobs and join in branch order", async () => {
    const arn = await t.createMachine({
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          Branches: [
            { StartAt: "A", States: { A: { Type: "Task", Resource: lambda("square"), InputPath: "$.a", End: true } } },
            { StartAt: "B", States: { B: { Type: "Pass", Result: "b", End: true } } },
          ],
          End: true,
        },
      },
    });
    const { execution, history } = await t.run(arn, { a: 7 });
    expect(execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.output as string)).toEqual([49, "b"]);
    assertWellFormedHistory(history);
  });

  it("a Map keeps item order and never runs more than MaxConcurrency items at once across the cluster", async () => {
    peak = 0;
    const arn = await t.createMachine({
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          MaxConcurrency: 3,
          ItemProcessor: { StartAt: "S", States: { S: { Type: "Task", Resource: lambda("square"), End: true } } },
          End: true,
        },
      },
    });
    const items = Array.from({ length: 12 }, (_, i) => i);
    const { execution, history } = await t.run(arn, items);
    expect(execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.output as string)).toEqual(items.map((i) => i * i));
    expect(peak).toBeLessThanOrEqual(3);
    expect(peak).toBeGreaterThan(1);
    expect(eventTypes(history).filter((e) => e === "MapIterationSucceeded")).toHaveLength(12);
    assertWellFormedHistory(history);
  });

  it("a distributed Map's items, run one at a time, each run a task attempt of their own", async () => {
    // Items record no events in the parent's history, so the ids each draws must not depend on it alone.
    const taskIds: string[] = [];
    t.worker({
      handlers: {
        note: (input, ctx) => {
          taskIds.push(ctx.taskId);
          return input;
        },
      },
    });
    const arn = await t.createMachine({
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          MaxConcurrency: 1,
          ItemProcessor: {
            ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
            StartAt: "S",
            States: { S: { Type: "Task", Resource: lambda("note"), End: true } },
          },
          End: true,
        },
      },
    });
    const { execution } = await t.run(arn, ["a", "b", "c", "d"]);
    expect(execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.output as string)).toEqual(["a", "b", "c", "d"]);
    expect(taskIds).toHaveLength(4);
    expect(new Set(taskIds).size).toBe(4);
  });

  it("a failing Map item fails the Map with the item's error", async () => {
    const arn = await t.createMachine({
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          ItemProcessor: {
            StartAt: "C",
            States: {
              C: { Type: "Choice", Choices: [{ Variable: "$", NumericEquals: 2, Next: "Bad" }], Default: "Ok" },
              Bad: { Type: "Fail", Error: "Item.Bad" },
              Ok: { Type: "Pass", End: true },
            },
          },
          End: true,
        },
      },
    });
    const { execution } = await t.run(arn, [1, 2, 3]);
    expect(execution).toMatchObject({ status: "FAILED", error: "Item.Bad" });
  });

  it("an execution over its TimeoutSeconds times out", async () => {
    const arn = await t.createMachine({ TimeoutSeconds: 1, StartAt: "W", States: { W: { Type: "Wait", Seconds: 30, End: true } } });
    const { execution, history } = await t.run(arn);
    expect(execution).toMatchObject({ status: "TIMED_OUT", error: "States.Timeout" });
    expect(eventTypes(history).at(-1)).toBe("ExecutionTimedOut");
  });

  it("a Parallel followed by a Map, and a Map that is retried, each join their own children", async () => {
    const arn = await t.createMachine({
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          Branches: [
            { StartAt: "A", States: { A: { Type: "Pass", Result: 1, End: true } } },
            { StartAt: "B", States: { B: { Type: "Pass", Result: 2, End: true } } },
          ],
          Next: "M",
        },
        M: {
          Type: "Map",
          ItemProcessor: {
            StartAt: "C",
            States: {
              C: { Type: "Choice", Choices: [{ Variable: "$$.State.RetryCount", NumericEquals: 0, Next: "Boom" }], Default: "Ok" },
              Boom: { Type: "Fail", Error: "First.Try" },
              Ok: { Type: "Pass", End: true },
            },
          },
          Retry: [{ ErrorEquals: ["First.Try"], IntervalSeconds: 1, MaxAttempts: 1 }],
          End: true,
        },
      },
    });
    const { execution, history } = await t.run(arn);
    expect(execution.status).toBe("FAILED");
    expect(execution.error).toBe("First.Try");
    // The retried Map ran its two items again (fresh children), failing again on its last attempt.
    expect(eventTypes(history).filter((e) => e === "MapStateStarted")).toHaveLength(2);
    assertWellFormedHistory(history);
  });
});
