import type { StateMachineDefinition } from "@stepwise/asl";
import { type AppProcess, assertWellFormedHistory, createTestRuntime, startApp, type TestRuntime } from "@stepwise/testkit";
import { type S3TestServer, startS3TestServer } from "@stepwise/testkit/s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** A CSV in the object store, read in batches of 4 by a distributed Map whose results go back to the store. */
function batchJob(bucket: string): StateMachineDefinition {
  return {
    StartAt: "Rows",
    States: {
      Rows: {
        Type: "Map",
        ItemReader: {
          Resource: "arn:aws:states:::s3:getObject",
          ReaderConfig: { InputType: "CSV", CSVHeaderLocation: "FIRST_ROW" },
          Parameters: { Bucket: bucket, "Key.$": "$.key" },
        },
        ItemBatcher: { MaxItemsPerBatch: 4 },
        ItemProcessor: {
          ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
          StartAt: "Count",
          States: { Count: { Type: "Pass", Parameters: { "ids.$": "$.Items[*].id" }, End: true } },
        },
        ResultWriter: { Resource: "arn:aws:states:::s3:putObject", Parameters: { Bucket: bucket, Prefix: "results" } },
        End: true,
      },
    },
  } as StateMachineDefinition;
}

describe("a worker process (apps/worker) runs a distributed Map against the S3-compatible store of its environment", () => {
  let t: TestRuntime;
  let s3: S3TestServer;
  let worker: AppProcess;

  beforeAll(async () => {
    t = await createTestRuntime();
    s3 = await startS3TestServer();
    worker = await startApp("apps/worker/src/main.ts", {
      DATABASE_URL: t.config.DATABASE_URL,
      REDIS_URL: t.config.REDIS_URL,
      STEPWISE_QUEUE_PREFIX: t.config.STEPWISE_QUEUE_PREFIX,
      ...s3.env,
    });
  }, 60_000);

  afterAll(async () => {
    worker?.kill();
    await worker?.exited;
    await s3?.close();
    await t?.close();
  });

  it("reads the rows, batches them, and writes the results and manifest where ResultWriter says", async () => {
    const bucket = await s3.bucket();
    await s3.put(bucket, "rows.csv", ["id,name", ...Array.from({ length: 10 }, (_, i) => `${i},row ${i}`)].join("\n"));
    const machine = await t.createMachine(batchJob(bucket));
    const { execution, history } = await t.run(machine, { key: "rows.csv" }, 60_000);
    expect(execution.status).toBe("SUCCEEDED");
    const details = JSON.parse(execution.output as string).ResultWriterDetails as { Bucket: string; Key: string };
    expect(details.Bucket).toBe(bucket);
    expect(details.Key).toMatch(/^results\/.+\/manifest\.json$/);
    const manifest = JSON.parse(await s3.getText(bucket, details.Key));
    expect(manifest).toBeTypeOf("object");
    const written = (await s3.keys(bucket, "results/")).filter((k) => !k.endsWith("manifest.json"));
    expect(written.length).toBeGreaterThan(0);
    const entries = (await Promise.all(written.map(async (k) => JSON.parse(await s3.getText(bucket, k))))).flat();
    const ids = entries.flatMap((e: { Output: string }) => JSON.parse(e.Output).ids as string[]);
    expect(ids.sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 10 }, (_, i) => String(i)));
    expect(entries.map((e: { Status: string }) => e.Status)).toEqual(["SUCCEEDED", "SUCCEEDED", "SUCCEEDED"]);
    assertWellFormedHistory(history);
  }, 90_000);

  it("fails with States.ItemReaderFailed naming the object when it does not exist", async () => {
    const bucket = await s3.bucket();
    const machine = await t.createMachine(batchJob(bucket));
    const { execution } = await t.run(machine, { key: "missing.csv" }, 60_000);
    expect(execution).toMatchObject({ status: "FAILED", error: "States.ItemReaderFailed" });
    expect(execution.cause).toContain("missing.csv");
  }, 90_000);
});
