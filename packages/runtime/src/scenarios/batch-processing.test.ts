import type { ChildProcess } from "node:child_process";
import type { StateMachineDefinition } from "@stepwise/asl";
import {
  assertWellFormedHistory,
  createTestRuntime,
  eventTypes,
  MemoryDatasetStore,
  spawnTestWorker,
  type TestRuntime,
} from "@stepwise/testkit";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_DATASET_STORE } from "../worker/dataset-tasks.ts";

const lambda = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

/**
 * The user's batch job: a CSV of orders in the object store, read by a distributed Map in batches of
 * `perBatch`, each batch totalled by a Task, the results exported next to the data.
 */
function ordersJob(perBatch: number, extra: Record<string, unknown> = {}): StateMachineDefinition {
  return {
    StartAt: "Orders",
    States: {
      Orders: {
        Type: "Map",
        ItemReader: {
          Resource: "arn:aws:states:::s3:getObject",
          ReaderConfig: { InputType: "CSV", CSVHeaderLocation: "FIRST_ROW" },
          Parameters: { "Bucket.$": "$.bucket", "Key.$": "$.key" },
        },
        ItemBatcher: { MaxItemsPerBatch: perBatch, BatchInput: { "currency.$": "$.currency" } },
        ItemProcessor: {
          ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
          StartAt: "Total",
          States: { Total: { Type: "Task", Resource: lambda("total"), End: true } },
        },
        ResultWriter: { Resource: "arn:aws:states:::s3:putObject", Parameters: { Bucket: "results", Prefix: "orders" } },
        End: true,
        ...extra,
      },
    },
  } as StateMachineDefinition;
}

const csv = (rows: number) => ["id,amount", ...Array.from({ length: rows }, (_, i) => `${i},${i + 1}`)].join("\n");

describe("a user processes a CSV dataset in batches with a distributed Map", () => {
  let t: TestRuntime;
  let store: MemoryDatasetStore;
  const batches: Array<{ BatchInput: { currency: string }; Items: Array<{ id: string; amount: string }> }> = [];
  beforeAll(async () => {
    store = new MemoryDatasetStore();
    t = await createTestRuntime({}, { datasets: store });
    t.worker({
      handlers: {
        total: (input) => {
          const batch = input as unknown as (typeof batches)[number];
          batches.push(batch);
          return { currency: batch.BatchInput.currency, total: batch.Items.reduce((sum, row) => sum + Number(row.amount), 0) };
        },
      },
    });
  });
  afterAll(() => t.close());

  it("reads the rows, gives each child a batch, and exports every child's result where ResultWriter says", async () => {
    store.put("data", "orders.csv", csv(25));
    const reads = store.reads;
    const machine = await t.createMachine(ordersJob(10));
    const { execution, history } = await t.run(machine, { bucket: "data", key: "orders.csv", currency: "EUR" });
    expect(execution.status).toBe("SUCCEEDED");
    const output = JSON.parse(execution.output as string);
    expect(output.ResultWriterDetails.Bucket).toBe("results");
    expect(output.ResultWriterDetails.Key).toMatch(/^orders\/[0-9a-f-]{36}\/manifest\.json$/);
    expect(store.reads - reads).toBe(1);

    expect(batches.map((b) => b.Items.length).sort()).toEqual([10, 10, 5]);
    expect(batches.every((b) => b.BatchInput.currency === "EUR")).toBe(true);
    expect(batches.flatMap((b) => b.Items.map((row) => row.id)).sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: 25 }, (_, i) => String(i)),
    );

    const dir = (output.ResultWriterDetails.Key as string).replace("manifest.json", "");
    const succeeded = JSON.parse(store.get("results", `${dir}SUCCEEDED_0.json`) as string);
    expect(succeeded).toHaveLength(3);
    expect(succeeded.map((e: { Output: string }) => JSON.parse(e.Output).total)).toEqual([55, 155, 115]);
    expect(JSON.parse(succeeded[0].Input).Items[0]).toEqual({ id: "0", amount: "1" });
    for (const entry of succeeded) {
      expect(entry.ExecutionArn).toMatch(/^arn:aws:states:[^:]+:\d+:execution:[^:/]+\/Orders:[0-9a-f-]{36}$/);
      expect(entry).toMatchObject({ Status: "SUCCEEDED", RedriveStatus: "NOT_REDRIVABLE" });
      expect(Date.parse(entry.StopDate)).toBeGreaterThanOrEqual(Date.parse(entry.StartDate));
    }

    expect(eventTypes(history)).toEqual([
      "ExecutionStarted",
      "MapStateEntered",
      "MapStateStarted",
      "MapRunStarted",
      "MapRunSucceeded",
      "MapStateSucceeded",
      "MapStateExited",
      "ExecutionSucceeded",
    ]);
    expect(history.find((e) => e.type === "MapStateStarted")?.mapStateStartedEventDetails).toEqual({ length: 0 });
    assertWellFormedHistory(history);
  });

  it("redriven after its export failed, writes the results without running a batch again", async () => {
    store.put("data", "redrive.csv", csv(6));
    const write = store.writeResults.bind(store);
    let refused = true;
    store.writeResults = (request, entries) =>
      refused
        ? Promise.reject({ error: "States.ResultWriterFailed", cause: "AccessDenied: s3://results/orders" })
        : write(request, entries);
    const before = batches.length;
    const machine = await t.createMachine(ordersJob(3));
    const first = await t.run(machine, { bucket: "data", key: "redrive.csv", currency: "USD" });
    expect(first.execution).toMatchObject({
      status: "FAILED",
      error: "States.ResultWriterFailed",
      cause: "AccessDenied: s3://results/orders",
    });
    expect(eventTypes(first.history).slice(-3)).toEqual(["MapRunFailed", "MapStateFailed", "ExecutionFailed"]);
    expect(batches.length - before).toBe(2);

    refused = false;
    await t.runtime.engine.redrive(first.execution.arn);
    const { execution, history } = await t.waitFor(first.execution.arn);
    expect(execution.status).toBe("SUCCEEDED");
    expect(batches.length - before).toBe(2);
    const key = JSON.parse(execution.output as string).ResultWriterDetails.Key as string;
    const entries = JSON.parse(store.get("results", key.replace("manifest.json", "SUCCEEDED_0.json")) as string);
    expect(entries.map((e: { Output: string }) => JSON.parse(e.Output).total)).toEqual([6, 15]);
    assertWellFormedHistory(history);
    store.writeResults = write;
  });

  it("fails with States.ItemReaderFailed naming a missing object, which the user's Catch handles", async () => {
    const uncaught = await t.createMachine(ordersJob(10));
    const failed = await t.run(uncaught, { bucket: "data", key: "missing.csv", currency: "EUR" });
    expect(failed.execution).toMatchObject({ status: "FAILED", error: "States.ItemReaderFailed" });
    expect(failed.execution.cause).toContain("s3://data/missing.csv");
    expect(eventTypes(failed.history).slice(-3)).toEqual(["MapRunFailed", "MapStateFailed", "ExecutionFailed"]);

    const withCatch = ordersJob(10, {
      End: undefined,
      Next: "NoData",
      Catch: [{ ErrorEquals: ["States.ItemReaderFailed"], Next: "NoData" }],
    });
    withCatch.States.NoData = { Type: "Pass", Result: "nothing to do", End: true };
    const caught = await t.run(await t.createMachine(withCatch), { bucket: "data", key: "missing.csv", currency: "EUR" });
    expect(caught.execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(caught.execution.output as string)).toBe("nothing to do");
  });

  it("fails with States.ItemReaderFailed naming the row when a row is over the payload limit", async () => {
    store.put("data", "big.csv", ["id,blob", "0,small", `1,${"x".repeat(300_000)}`].join("\n"));
    const machine = await t.createMachine(ordersJob(10));
    const { execution } = await t.run(machine, { bucket: "data", key: "big.csv", currency: "EUR" });
    expect(execution).toMatchObject({ status: "FAILED", error: "States.ItemReaderFailed" });
    expect(execution.cause).toContain("The item at index 1 of s3://data/big.csv takes 300020 bytes, more than the 262144 bytes");
  });
});

describe("a distributed Map with an ItemReader on a worker with no object store", () => {
  let t: TestRuntime;
  beforeAll(async () => {
    t = await createTestRuntime();
    t.worker();
  });
  afterAll(() => t.close());

  it("fails with States.ItemReaderFailed saying which variables to set", async () => {
    const machine = await t.createMachine(ordersJob(10));
    const { execution } = await t.run(machine, { bucket: "data", key: "orders.csv", currency: "EUR" });
    expect(execution).toMatchObject({ status: "FAILED", error: "States.ItemReaderFailed", cause: NO_DATASET_STORE });
    expect(execution.cause).toContain("AWS_ENDPOINT_URL_S3");
  });
});

describe("a worker dies while it reads a distributed Map's dataset", () => {
  let t: TestRuntime;
  let redis: Redis;
  const workers: ChildProcess[] = [];
  const datasets = JSON.stringify({ "data/orders.csv": csv(12) });
  beforeAll(async () => {
    t = await createTestRuntime({ STEPWISE_JOB_LOCK_MS: "1500" });
    redis = new Redis(t.config.REDIS_URL);
    t.scheduler();
  });
  afterAll(async () => {
    for (const w of workers) w.kill("SIGKILL");
    redis.disconnect();
    await t.close();
  });

  it("another worker reads it again, and every batch runs once", async () => {
    const spawn = async (env: Record<string, string>) => {
      const child = await spawnTestWorker(t.config, { STEPWISE_JOB_LOCK_MS: "1500", STEPWISE_TEST_DATASETS: datasets, ...env });
      workers.push(child);
      return child;
    };
    const reads = async () => Number(await redis.get(`${t.config.STEPWISE_QUEUE_PREFIX}:runs:itemReader`));
    const dying = await spawn({ STEPWISE_TEST_READ_HANGS: "1" });
    // Pass children: the batches run as transitions, on whichever worker is alive.
    const machine = await t.createMachine(
      ordersJob(5, {
        ResultWriter: undefined,
        ItemProcessor: {
          ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
          StartAt: "Count",
          States: { Count: { Type: "Pass", Parameters: { "ids.$": "$.Items[*].id" }, End: true } },
        },
      }),
    );
    const { executionArn } = await t.runtime.engine.start({
      stateMachineArn: machine,
      input: JSON.stringify({ bucket: "data", key: "orders.csv", currency: "EUR" }),
    });
    for (const deadline = Date.now() + 20_000; (await reads()) < 1; await new Promise((r) => setTimeout(r, 20))) {
      if (Date.now() > deadline) throw new Error("the read never started");
    }
    dying.kill("SIGKILL");
    await spawn({});
    const { execution, history } = await t.waitFor(executionArn, 40_000);
    expect(execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.output as string)).toEqual([
      { ids: ["0", "1", "2", "3", "4"] },
      { ids: ["5", "6", "7", "8", "9"] },
      { ids: ["10", "11"] },
    ]);
    expect(await reads()).toBe(2);
    expect(eventTypes(history).filter((e) => e === "MapRunStarted")).toHaveLength(1);
    assertWellFormedHistory(history);
  }, 60_000);
});
