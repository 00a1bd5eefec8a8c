import type { JsonObject } from "@stepwise/asl";
import { AWS_INTEGRATION_HANDLER } from "@stepwise/runtime";
import { createTestRuntime, type TestRuntime } from "@stepwise/testkit";
import { type S3TestServer, startS3TestServer } from "@stepwise/testkit/s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsIntegrationHandler } from "../src/index.ts";

const LIMIT = 4096;

describe("S3 objects through AWS SDK integrations (aws-sdk:s3:putObject / getObject) against an S3-protocol server", () => {
  let s3: S3TestServer;
  let t: TestRuntime;
  let handler: ReturnType<typeof awsIntegrationHandler>;
  let bucket: string;

  const output = (execution: { output: string | null }) => JSON.parse(execution.output as string);
  const task = (action: string, parameters: JsonObject, rest: object = { End: true }) => ({
    Type: "Task" as const,
    Resource: `arn:aws:states:::aws-sdk:s3:${action}`,
    Parameters: parameters,
    ...rest,
  });

  beforeAll(async () => {
    s3 = await startS3TestServer();
    bucket = await s3.bucket();
    t = await createTestRuntime();
    // The very configuration the object store of distributed Maps runs on: one reading of the AWS variables.
    handler = awsIntegrationHandler({ enabled: new Set(["s3"]), aws: s3.config.aws }, { maxPayloadBytes: LIMIT });
    t.worker({ handlers: { [AWS_INTEGRATION_HANDLER]: handler } });
  });
  afterAll(async () => {
    await t?.close();
    handler?.close();
    await s3?.close();
  });

  it("putObject stores a JSON Body as its JSON text, and getObject reads it back as text that States.StringToJson parses", async () => {
    const arn = await t.createMachine({
      StartAt: "Save",
      States: {
        Save: task(
          "putObject",
          { Bucket: bucket, "Key.$": "$.key", "Body.$": "$.report", ContentType: "application/json" },
          {
            ResultSelector: { "ETag.$": "$.ETag" },
            ResultPath: "$.saved",
            Next: "Load",
          },
        ),
        Load: task(
          "getObject",
          { Bucket: bucket, "Key.$": "$.key" },
          {
            ResultSelector: { "report.$": "States.StringToJson($.Body)", "ContentType.$": "$.ContentType", "ETag.$": "$.ETag" },
            ResultPath: "$.loaded",
            End: true,
          },
        ),
      },
    });
    const report = { orders: 3, total: 42.5, lines: ["a", "b"] };
    const { execution } = await t.run(arn, { key: "reports/2024-06.json", report });
    expect(execution.status).toBe("SUCCEEDED");
    const { saved, loaded } = output(execution);
    expect(loaded).toEqual({ report, ContentType: "application/json", ETag: saved.ETag });
    expect(JSON.parse(await s3.getText(bucket, "reports/2024-06.json"))).toEqual(report);
    // A custom endpoint is addressed path-style, as the object store addresses it (STEPWISE_S3_FORCE_PATH_STYLE).
    if (s3.requests) expect(s3.requests.filter((r) => r.startsWith(`/${bucket}/reports/2024-06.json?`))).toHaveLength(3);
  });

  it("a text Body is stored as it is, and getObject answers it unchanged with the object's metadata", async () => {
    const csv = "id,total\n1,9.5\n2,ünïcode\n";
    const arn = await t.createMachine({
      StartAt: "Save",
      States: {
        Save: task(
          "putObject",
          { Bucket: bucket, Key: "exports/orders.csv", Body: csv, Metadata: { source: "stepwise" } },
          {
            ResultPath: null,
            Next: "Load",
          },
        ),
        Load: task("getObject", { Bucket: bucket, Key: "exports/orders.csv" }),
      },
    });
    const { execution } = await t.run(arn, {});
    expect(execution.status).toBe("SUCCEEDED");
    const result = output(execution);
    expect(await s3.getText(bucket, "exports/orders.csv")).toBe(csv);
    expect(result).toMatchObject({ Body: csv, ContentLength: Buffer.byteLength(csv), Metadata: { source: "stepwise" } });
    expect(typeof result.LastModified).toBe("string");
  });

  it("a missing key is S3.NoSuchKeyException and a missing bucket S3.NoSuchBucketException, as AWS names them, which Catch handles", async () => {
    const arn = await t.createMachine({
      StartAt: "Load",
      States: {
        Load: task(
          "getObject",
          { Bucket: bucket, Key: "nowhere.json" },
          {
            Catch: [{ ErrorEquals: ["S3.NoSuchKeyException"], ResultPath: "$.error", Next: "FromOtherBucket" }],
            End: true,
          },
        ),
        FromOtherBucket: task("getObject", { Bucket: `${bucket}-gone`, Key: "x" }),
      },
    });
    const { execution, history } = await t.run(arn, {});
    expect(execution).toMatchObject({ status: "FAILED", error: "S3.NoSuchBucketException" });
    const caught = history.find((e) => e.type === "TaskFailed");
    expect(caught?.taskFailedEventDetails).toMatchObject({ error: "S3.NoSuchKeyException" });
    expect(caught?.taskFailedEventDetails?.cause).toMatch(/key does not exist/i);
  });

  it("an object over the payload limit fails with States.DataLimitExceeded instead of being read into the state", async () => {
    await s3.put(bucket, "big.txt", "x".repeat(LIMIT + 1));
    const arn = await t.createMachine({ StartAt: "Load", States: { Load: task("getObject", { Bucket: bucket, Key: "big.txt" }) } });
    const { execution } = await t.run(arn, {});
    expect(execution).toMatchObject({ status: "FAILED", error: "States.DataLimitExceeded" });
    expect(execution.cause).toContain(`${LIMIT}-byte payload limit`);
  });
});
