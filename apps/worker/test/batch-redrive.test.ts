import type { StateMachineDefinition } from "@stepwise/asl";
import { createObjectStorage, type ObjectStorage } from "@stepwise/object-storage";
import { assertWellFormedHistory, createTestRuntime, type TestRuntime } from "@stepwise/testkit";
import { type S3TestServer, startS3TestServer } from "@stepwise/testkit/s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROWS = 10_000;
const PER_BATCH = 100;
/** Rows the handler cannot process until it is fixed: ten of them, in ten different batches. */
const isPoison = (id: number) => id % 1000 === 337;

interface Batch {
  Items: Array<{ id: string; amount: string }>;
}
interface Entry {
  Status: string;
  Input: string;
  RedriveCount: number;
}
interface Manifest {
  ResultFiles: Record<"SUCCEEDED" | "FAILED" | "PENDING", Array<{ Key: string; Size: number }>>;
}

/** The user's job: orders.csv read in batches of 100, each batch priced by a Lambda, the results back in the bucket. */
function pricingJob(bucket: string): StateMachineDefinition {
  return {
    StartAt: "Orders",
    States: {
      Orders: {
        Type: "Map",
        ItemReader: {
          Resource: "arn:aws:states:::s3:getObject",
          ReaderConfig: { InputType: "CSV", CSVHeaderLocation: "FIRST_ROW" },
          Parameters: { Bucket: bucket, Key: "orders.csv" },
        },
        ItemBatcher: { MaxItemsPerBatch: PER_BATCH },
        MaxConcurrency: 20,
        ToleratedFailurePercentage: 5,
        ItemProcessor: {
          ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
          StartAt: "Price",
          States: { Price: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:price", End: true } },
        },
        ResultWriter: { Resource: "arn:aws:states:::s3:putObject", Parameters: { Bucket: bucket, Prefix: "priced" } },
        End: true,
      },
    },
  } as StateMachineDefinition;
}

describe("a user's 10,000-row batch job fails on bad rows, is fixed and redriven", () => {
  let t: TestRuntime;
  let s3: S3TestServer;
  let store: ObjectStorage;
  let fixed = false;
  /** Handler calls per batch, keyed by the batch's first row id, for each attempt. */
  const calls: Array<Map<string, number>> = [new Map()];
  /** Runs that priced their batch, per batch, over both attempts. */
  const priced = new Map<string, number>();

  beforeAll(async () => {
    s3 = await startS3TestServer();
    store = createObjectStorage(s3.config);
    t = await createTestRuntime({}, { datasets: store });
    t.worker({
      handlers: {
        price: (input) => {
          const { Items } = input as unknown as Batch;
          const attempt = calls[calls.length - 1] as Map<string, number>;
          const key = Items[0]?.id ?? "";
          attempt.set(key, (attempt.get(key) ?? 0) + 1);
          if (!fixed && Items.some((row) => isPoison(Number(row.id)))) throw new Error("cannot price a row");
          priced.set(key, (priced.get(key) ?? 0) + 1);
          return { rows: Items.length };
        },
      },
    });
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    store?.close();
    await s3?.close();
  });

  const manifestOf = async (bucket: string, key: string) => JSON.parse(await s3.getText(bucket, key)) as Manifest;
  const entriesOf = async (bucket: string, files: Array<{ Key: string }>) =>
    (await Promise.all(files.map(async (f) => JSON.parse(await s3.getText(bucket, f.Key)) as Entry[]))).flat();

  it("exports the failed run, re-runs only the batches that did not succeed, and lists every row once", async () => {
    const bucket = await s3.bucket();
    await s3.put(bucket, "orders.csv", ["id,amount", ...Array.from({ length: ROWS }, (_, i) => `${i},${i % 97}`)].join("\n"));
    const machine = await t.createMachine(pricingJob(bucket));

    const first = await t.run(machine, {}, 60_000);
    expect(first.execution).toMatchObject({ status: "FAILED", error: "States.ExceedToleratedFailureThreshold" });
    // The failed Map Run's results were exported (AWS does): the manifest lists failed batches.
    const runArn = first.history.find((e) => e.type === "MapRunStarted")?.mapRunStartedEventDetails?.mapRunArn as string;
    const manifestKey = `priced/${runArn.split(":").pop()}/manifest.json`;
    const failedManifest = await manifestOf(bucket, manifestKey);
    const failedEntries = await entriesOf(bucket, failedManifest.ResultFiles.FAILED);
    expect(failedEntries.length).toBeGreaterThan(0);
    // MaxConcurrency 20 of 100 batches: the run gave up before some began, and lists them as pending.
    expect((await entriesOf(bucket, failedManifest.ResultFiles.PENDING)).length).toBeGreaterThan(0);
    const succeededFirst = new Set(
      (await entriesOf(bucket, failedManifest.ResultFiles.SUCCEEDED)).map((e) => (JSON.parse(e.Input) as Batch).Items[0]?.id),
    );
    const firstAttempt = calls[0] as Map<string, number>;
    for (const key of succeededFirst) expect(firstAttempt.get(key as string)).toBe(1);

    fixed = true;
    calls.push(new Map());
    await t.runtime.engine.redrive(first.execution.arn);
    const { execution, history } = await t.waitFor(first.execution.arn, 60_000);
    expect(execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.output as string)).toEqual({ ResultWriterDetails: { Bucket: bucket, Key: manifestKey } });

    // Only the batches that had not succeeded ran again, once each; every batch was priced exactly once.
    // (A batch whose child execution succeeded just as the failing run stopped it is listed as aborted in
    // the first export, but it is not run again: the redrive finds its child execution succeeded.)
    const secondAttempt = calls[1] as Map<string, number>;
    for (const key of succeededFirst) expect(secondAttempt.has(key as string)).toBe(false);
    expect([...secondAttempt.values()].every((n) => n === 1)).toBe(true);
    expect(priced.size).toBe(ROWS / PER_BATCH);
    expect([...priced.values()].every((n) => n === 1)).toBe(true);

    // The final manifest: every row exactly once across the SUCCEEDED files, nothing failed or pending.
    const manifest = await manifestOf(bucket, manifestKey);
    expect(manifest.ResultFiles.FAILED).toEqual([]);
    expect(manifest.ResultFiles.PENDING).toEqual([]);
    const entries = await entriesOf(bucket, manifest.ResultFiles.SUCCEEDED);
    const ids = entries.flatMap((e) => (JSON.parse(e.Input) as Batch).Items.map((row) => Number(row.id)));
    expect(ids.length).toBe(ROWS);
    expect(new Set(ids).size).toBe(ROWS);
    // A batch that failed and ran again says so; one that succeeded the first time does not.
    for (const entry of entries) {
      const key = (JSON.parse(entry.Input) as Batch).Items[0]?.id as string;
      const ranBefore = firstAttempt.has(key) && !succeededFirst.has(key);
      expect(entry.RedriveCount).toBe(ranBefore ? 1 : 0);
    }
    assertWellFormedHistory(history);
  }, 90_000);
});
