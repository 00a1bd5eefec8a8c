import type { ChildProcess } from "node:child_process";
import type { HistoryEvent, StateMachineDefinition } from "@stepwise/asl";
import { executions, getHistory } from "@stepwise/storage";
import { assertWellFormedHistory, createTestRuntime, eventTypes, spawnTestWorker, type TestRuntime } from "@stepwise/testkit";
import { eq } from "drizzle-orm";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TaskFailure } from "../worker/task-handler.ts";

const lambda = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const DAY_MS = 24 * 3600 * 1000;

/** The events after the last ExecutionRedriven. */
const afterRedrive = (history: readonly HistoryEvent[]) => history.slice(history.map((e) => e.type).lastIndexOf("ExecutionRedriven"));

describe("an operator redrives a failed execution once the downstream is fixed", () => {
  let t: TestRuntime;
  /** Item or branch inputs (JSON text) the `pack` handler refuses. */
  const refused = new Set<string>();
  /** How often each handler ran for each input (JSON text). */
  const calls = new Map<string, number>();
  const called = (handler: string, input: unknown) => calls.get(`${handler} ${JSON.stringify(input)}`) ?? 0;
  const count = (handler: string, input: unknown) => calls.set(`${handler} ${JSON.stringify(input)}`, called(handler, input) + 1);

  beforeAll(async () => {
    t = await createTestRuntime();
    t.worker({
      handlers: {
        ship: (input) => {
          count("ship", input);
          if (refused.has("ship")) throw new TaskFailure("Carrier.Down", "503");
          return { shipped: input };
        },
        // Fails (when refused) only once the label branch's success is recorded: that branch is done before the Parallel fails.
        shipAfterLabel: async (input, ctx) => {
          count("ship", input);
          const labelled = (e: HistoryEvent) =>
            e.type === "LambdaFunctionSucceeded" && e.lambdaFunctionSucceededEventDetails?.output.includes("labelled");
          while (!(await getHistory(t.runtime.db, ctx.executionArn)).some(labelled)) await new Promise((r) => setTimeout(r, 10));
          if (refused.has("ship")) throw new TaskFailure("Carrier.Down", "503");
          return { shipped: input };
        },
        label: (input) => {
          count("label", input);
          return { labelled: input };
        },
        pack: (input) => {
          count("pack", input);
          if (refused.has(JSON.stringify(input))) throw new TaskFailure("Packing.Jammed", `cannot pack ${JSON.stringify(input)}`);
          return { packed: input };
        },
      },
    });
    t.scheduler();
  });
  afterAll(() => t.close());

  const failThenFix = async (definition: StateMachineDefinition, input: unknown, refuse: string[]) => {
    for (const r of refuse) refused.add(r);
    const first = await t.run(await t.createMachine(definition), input);
    expect(first.execution.status).toBe("FAILED");
    for (const r of refuse) refused.delete(r);
    return first;
  };

  it("runs again from the failed state with its input, and only a closed execution can be redriven", async () => {
    const first = await failThenFix(
      {
        StartAt: "Prepare",
        States: {
          Prepare: { Type: "Pass", Result: { box: 1 }, ResultPath: "$.prepared", Next: "Ship" },
          Ship: { Type: "Task", Resource: lambda("ship"), End: true },
        },
      },
      { order: 7 },
      ["ship"],
    );
    expect(first.execution.error).toBe("Carrier.Down");
    await t.runtime.engine.redrive(first.execution.arn);
    const { execution, history } = await t.waitFor(first.execution.arn);
    expect(execution).toMatchObject({ status: "SUCCEEDED", redriveCount: 1 });
    expect(JSON.parse(execution.output as string)).toEqual({ shipped: { order: 7, prepared: { box: 1 } } });
    assertWellFormedHistory(history);
    const types = eventTypes(history);
    expect(types.slice(types.indexOf("ExecutionFailed"))).toEqual([
      "ExecutionFailed",
      "ExecutionRedriven",
      "TaskStateEntered",
      "LambdaFunctionScheduled",
      "LambdaFunctionStarted",
      "LambdaFunctionSucceeded",
      "TaskStateExited",
      "ExecutionSucceeded",
    ]);
    await expect(t.runtime.engine.redrive(execution.arn)).rejects.toMatchObject({ name: "ExecutionNotRedrivable" });
  });

  it("reruns only the Map items that did not succeed, within MaxConcurrency, and keeps the output in item order", async () => {
    const items = [1, 2, 3, 4, 5, 6];
    const first = await failThenFix(
      {
        StartAt: "Pack",
        States: {
          Pack: {
            Type: "Map",
            MaxConcurrency: 2,
            ItemProcessor: { StartAt: "PackOne", States: { PackOne: { Type: "Task", Resource: lambda("pack"), End: true } } },
            End: true,
          },
        },
      },
      items,
      ["3"],
    );
    const succeededFirst = first.history
      .filter((e) => e.type === "MapIterationSucceeded")
      .map((e) => items[e.mapIterationSucceededEventDetails?.index ?? -1]);
    expect(succeededFirst.length).toBeGreaterThan(0);
    const callsBefore = new Map(items.map((item) => [item, called("pack", item)]));

    await t.runtime.engine.redrive(first.execution.arn);
    const { execution, history } = await t.waitFor(first.execution.arn);
    expect(execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.output as string)).toEqual(items.map((packed) => ({ packed })));
    assertWellFormedHistory(history);
    for (const item of items) {
      const again = called("pack", item) - (callsBefore.get(item) ?? 0);
      expect(again, `item ${item}`).toBe(succeededFirst.includes(item) ? 0 : 1);
    }
    const redriven = afterRedrive(history);
    expect(redriven.filter((e) => e.type === "MapIterationSucceeded")).toHaveLength(items.length - succeededFirst.length);
    expect(eventTypes(redriven)).not.toContain("MapStateEntered");
  });

  it("reruns only the failed Parallel branch; the one that succeeded keeps its result", async () => {
    const first = await failThenFix(
      {
        StartAt: "Dispatch",
        States: {
          Dispatch: {
            Type: "Parallel",
            Branches: [
              { StartAt: "Label", States: { Label: { Type: "Task", Resource: lambda("label"), End: true } } },
              { StartAt: "Ship", States: { Ship: { Type: "Task", Resource: lambda("shipAfterLabel"), End: true } } },
            ],
            End: true,
          },
        },
      },
      { parcel: "p-1" },
      ["ship"],
    );
    await t.runtime.engine.redrive(first.execution.arn);
    const { execution, history } = await t.waitFor(first.execution.arn);
    expect(execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.output as string)).toEqual([{ labelled: { parcel: "p-1" } }, { shipped: { parcel: "p-1" } }]);
    expect(called("label", { parcel: "p-1" })).toBe(1);
    expect(called("ship", { parcel: "p-1" })).toBe(2);
    assertWellFormedHistory(history);
  });

  it("redrives a distributed Map's failed child workflow from its failed state, and records MapRunRedriven", async () => {
    const first = await failThenFix(
      {
        StartAt: "Fulfil",
        States: {
          Fulfil: {
            Type: "Map",
            ItemSelector: { "order.$": "$$.Map.Item.Value" },
            ItemProcessor: {
              ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
              StartAt: "Label",
              States: {
                Label: { Type: "Task", Resource: lambda("label"), Next: "Pack" },
                Pack: { Type: "Task", Resource: lambda("pack"), End: true },
              },
            },
            End: true,
          },
        },
      },
      ["o-1", "o-2", "o-3"],
      [JSON.stringify({ labelled: { order: "o-2" } })],
    );
    await t.runtime.engine.redrive(first.execution.arn);
    const { execution, history } = await t.waitFor(first.execution.arn);
    expect(execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.output as string)).toEqual(["o-1", "o-2", "o-3"].map((order) => ({ packed: { labelled: { order } } })));
    expect(called("label", { order: "o-2" })).toBe(1);
    expect(called("pack", { labelled: { order: "o-2" } })).toBe(2);
    const mapRunArn = history.find((e) => e.type === "MapRunStarted")?.mapRunStartedEventDetails?.mapRunArn;
    expect(eventTypes(afterRedrive(history))).toEqual([
      "ExecutionRedriven",
      "MapRunRedriven",
      "MapRunSucceeded",
      "MapStateSucceeded",
      "MapStateExited",
      "ExecutionSucceeded",
    ]);
    expect(history.find((e) => e.type === "MapRunRedriven")?.mapRunRedrivenEventDetails).toEqual({ mapRunArn, redriveCount: 1 });
  });

  it("refuses an execution that stopped more than 14 days ago, as AWS does", async () => {
    const first = await failThenFix({ StartAt: "Ship", States: { Ship: { Type: "Task", Resource: lambda("ship"), End: true } } }, {}, [
      "ship",
    ]);
    const arn = first.execution.arn;
    const stoppedDaysAgo = (days: number) =>
      t.runtime.db
        .update(executions)
        .set({ stopDate: new Date(Date.now() - days * DAY_MS) })
        .where(eq(executions.arn, arn));
    await stoppedDaysAgo(15);
    await expect(t.runtime.engine.redrive(arn)).rejects.toMatchObject({
      name: "ExecutionNotRedrivable",
      message: "Execution redrivable period exceeded",
    });
    await stoppedDaysAgo(13);
    await t.runtime.engine.redrive(arn);
    expect((await t.waitFor(arn)).execution).toMatchObject({ status: "SUCCEEDED", redriveCount: 1 });
  });

  it("answers a repeated client token with the first redrive's date, without redriving again", async () => {
    const first = await failThenFix({ StartAt: "Ship", States: { Ship: { Type: "Task", Resource: lambda("ship"), End: true } } }, {}, [
      "ship",
    ]);
    const arn = first.execution.arn;
    const { redriveDate } = await t.runtime.engine.redrive(arn, { clientToken: "fix-1" });
    const { execution, history } = await t.waitFor(arn);
    expect(execution).toMatchObject({ status: "SUCCEEDED", redriveCount: 1, redriveDate });

    expect(await t.runtime.engine.redrive(arn, { clientToken: "fix-1" })).toEqual({ redriveDate });
    await expect(t.runtime.engine.redrive(arn, { clientToken: "fix-2" })).rejects.toMatchObject({ name: "ExecutionNotRedrivable" });
    const after = await t.waitFor(arn);
    expect(after.execution.redriveCount).toBe(1);
    expect(after.history).toEqual(history);
  });
});

describe("a redrive made by one process is seen by the other workers' $$.Execution.RedriveCount", () => {
  let t: TestRuntime;
  let redis: Redis;
  const workers: ChildProcess[] = [];
  const gateClosed = () => `${t.config.STEPWISE_QUEUE_PREFIX}:gate-closed`;

  beforeAll(async () => {
    t = await createTestRuntime();
    redis = new Redis(t.config.REDIS_URL);
    // Two jobs at a time each, so both take part in a Map of 40 ms tasks.
    for (let i = 0; i < 2; i++) workers.push(await spawnTestWorker(t.config, { STEPWISE_WORKER_CONCURRENCY: "2" }));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(
      workers.map(
        (child) =>
          new Promise<void>((resolve) => {
            child.once("exit", () => resolve());
            child.kill("SIGTERM");
          }),
      ),
    );
    redis.disconnect();
    await t.close();
  });

  it("both workers cached the execution before it failed; after a redrive from this process, every state reads the new count", async () => {
    const step = lambda("step");
    const countRedrives = {
      StartAt: "Count",
      States: { Count: { Type: "Task", Resource: step, Parameters: { "n.$": "$$.Execution.RedriveCount" }, End: true } },
    };
    const machine = await t.createMachine({
      StartAt: "Warm",
      States: {
        Warm: { Type: "Map", ItemsPath: "$.items", ItemProcessor: countRedrives, ResultPath: "$.warm", Next: "Gate" },
        Gate: { Type: "Task", Resource: lambda("gate"), ResultPath: null, Next: "Report" },
        Report: { Type: "Map", ItemsPath: "$.items", ItemProcessor: countRedrives, ResultPath: "$.report", End: true },
      },
    } as StateMachineDefinition);
    const items = Array.from({ length: 16 }, (_, i) => i);

    await redis.set(gateClosed(), "1");
    const first = await t.run(machine, { items }, 30_000);
    expect(first.execution).toMatchObject({ status: "FAILED", error: "Gate.Closed" });
    // The step handler counts n up by one and records its process: each worker ran some (and applied their results).
    const warm = first.history
      .filter((e) => e.type === "LambdaFunctionSucceeded")
      .map((e) => JSON.parse(e.lambdaFunctionSucceededEventDetails?.output ?? "{}") as { n: number; pids: number[] });
    expect(warm.map((w) => w.n)).toEqual(items.map(() => 1));
    expect(new Set(warm.flatMap((w) => w.pids))).toEqual(new Set(workers.map((w) => w.pid)));

    await redis.del(gateClosed());
    await t.runtime.engine.redrive(first.execution.arn);
    const { execution } = await t.waitFor(first.execution.arn, 30_000);
    expect(execution.status).toBe("SUCCEEDED");
    const report = (JSON.parse(execution.output as string) as { report: { n: number }[] }).report;
    expect(report.map((r) => r.n)).toEqual(items.map(() => 2));
  }, 60_000);
});
