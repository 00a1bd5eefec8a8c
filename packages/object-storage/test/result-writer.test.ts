import type { ChildExecutionStatus, ResultWriterEntry, ResultWriterRequest, WriterConfig } from "@stepwise/asl";
import { describe, expect, it } from "vitest";
import { createObjectStorage, loadObjectStorageConfig } from "../src/index.ts";
import { storeFixture } from "./datasets.ts";

const fixture = storeFixture();

const machine = "arn:aws:states:us-east-1:123456789012:stateMachine:csvProcess";
const mapRunId = "ad9b5f27-090b-3ac6-9beb-243cd77144a7";
const mapRunArn = `arn:aws:states:us-east-1:123456789012:mapRun:csvProcess/Map:${mapRunId}`;

function entry(index: number, status: ChildExecutionStatus, output?: unknown): ResultWriterEntry {
  const name = `${mapRunId.slice(0, 8)}-child-${index}`;
  const base: ResultWriterEntry = {
    index,
    ExecutionArn: `arn:aws:states:us-east-1:123456789012:execution:csvProcess/Map:${name}`,
    Name: name,
    StateMachineArn: machine,
    Status: status,
    StartDate: "2026-12-07T10:00:00.000Z",
    Input: JSON.stringify({ row: index }),
    InputDetails: { Included: true },
    RedriveCount: 0,
    RedriveStatus: status === "SUCCEEDED" ? "NOT_REDRIVABLE" : "REDRIVABLE",
  };
  if (status === "SUCCEEDED")
    return {
      ...base,
      StopDate: "2026-12-07T10:00:01.000Z",
      Output: JSON.stringify(output ?? { done: index }),
      OutputDetails: { Included: true },
    };
  if (status === "FAILED") return { ...base, StopDate: "2026-12-07T10:00:01.000Z", Error: "RowError", Cause: `row ${index} is bad` };
  return base;
}

async function* stream(entries: ResultWriterEntry[]): AsyncGenerator<ResultWriterEntry> {
  yield* entries;
}

function request(bucket: string, prefix: string | undefined, writerConfig: WriterConfig = {}): ResultWriterRequest {
  return {
    resource: "arn:aws:states:::s3:putObject",
    parameters: prefix === undefined ? { Bucket: bucket } : { Bucket: bucket, Prefix: prefix },
    writerConfig,
    mapRunArn,
  };
}

async function readJson(bucket: string, key: string): Promise<unknown> {
  return JSON.parse(await fixture.s3.getText(bucket, key));
}

describe("exporting a Map Run's results (ResultWriter)", () => {
  it("writes SUCCEEDED_0.json, FAILED_0.json and PENDING_0.json under <Prefix>/<map run id>/, then the manifest", async () => {
    const bucket = await fixture.s3.bucket();
    const entries = [
      entry(0, "SUCCEEDED"),
      entry(1, "FAILED"),
      entry(2, "SUCCEEDED"),
      entry(3, "TIMED_OUT"),
      entry(4, "ABORTED"),
      entry(5, "PENDING_REDRIVE"),
    ];
    const details = await fixture.store.writeResults(request(bucket, "csvProcessJobs"), stream(entries));

    const dir = `csvProcessJobs/${mapRunId}`;
    expect(details).toEqual({ Bucket: bucket, Key: `${dir}/manifest.json` });
    expect((await fixture.s3.keys(bucket)).sort()).toEqual([
      `${dir}/FAILED_0.json`,
      `${dir}/PENDING_0.json`,
      `${dir}/SUCCEEDED_0.json`,
      `${dir}/manifest.json`,
    ]);

    const sizes = new Map<string, number>();
    for (const key of await fixture.s3.keys(bucket)) sizes.set(key, Buffer.byteLength(await fixture.s3.getText(bucket, key)));
    expect(await readJson(bucket, details.Key)).toEqual({
      DestinationBucket: bucket,
      MapRunArn: mapRunArn,
      ResultFiles: {
        FAILED: [{ Key: `${dir}/FAILED_0.json`, Size: sizes.get(`${dir}/FAILED_0.json`) }],
        PENDING: [{ Key: `${dir}/PENDING_0.json`, Size: sizes.get(`${dir}/PENDING_0.json`) }],
        SUCCEEDED: [{ Key: `${dir}/SUCCEEDED_0.json`, Size: sizes.get(`${dir}/SUCCEEDED_0.json`) }],
      },
    });

    // Each entry is the child execution's record, without the Map's item index.
    const { index: _index, ...first } = entries[0] as ResultWriterEntry;
    const succeeded = (await readJson(bucket, `${dir}/SUCCEEDED_0.json`)) as Array<Record<string, unknown>>;
    expect(succeeded).toEqual([first, expect.objectContaining({ Name: entries[2]?.Name })]);
    expect(Object.keys(succeeded[0] as object)).toEqual([...Object.keys(first)].sort());
    const failed = (await readJson(bucket, `${dir}/FAILED_0.json`)) as Array<Record<string, unknown>>;
    expect(failed.map((e) => e.Status)).toEqual(["FAILED", "TIMED_OUT", "ABORTED"]);
    expect(failed[0]).toMatchObject({ Error: "RowError", Cause: "row 1 is bad" });
    const pending = (await readJson(bucket, `${dir}/PENDING_0.json`)) as Array<Record<string, unknown>>;
    expect(pending.map((e) => e.Status)).toEqual(["PENDING_REDRIVE"]);
  });

  it("writes only the manifest, with empty lists, when no child ran", async () => {
    const bucket = await fixture.s3.bucket();
    const details = await fixture.store.writeResults(request(bucket, "jobs/"), stream([]));
    expect(details.Key).toBe(`jobs/${mapRunId}/manifest.json`);
    expect(await fixture.s3.keys(bucket)).toEqual([details.Key]);
    expect(await readJson(bucket, details.Key)).toEqual({
      DestinationBucket: bucket,
      MapRunArn: mapRunArn,
      ResultFiles: { FAILED: [], PENDING: [], SUCCEEDED: [] },
    });
  });

  it("writes at the bucket's root when there is no Prefix", async () => {
    const bucket = await fixture.s3.bucket();
    const details = await fixture.store.writeResults(request(bucket, undefined), stream([entry(0, "SUCCEEDED")]));
    expect(details.Key).toBe(`${mapRunId}/manifest.json`);
    expect((await fixture.s3.keys(bucket)).sort()).toEqual([`${mapRunId}/SUCCEEDED_0.json`, `${mapRunId}/manifest.json`]);
  });

  it("writes JSON Lines when OutputType is JSONL", async () => {
    const bucket = await fixture.s3.bucket();
    await fixture.store.writeResults(
      request(bucket, "out", { OutputType: "JSONL" }),
      stream([entry(0, "SUCCEEDED"), entry(1, "SUCCEEDED")]),
    );
    const text = await fixture.s3.getText(bucket, `out/${mapRunId}/SUCCEEDED_0.json`);
    const lines = text.split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe("");
    expect(lines.slice(0, 2).map((line) => (JSON.parse(line) as { Name: string }).Name)).toEqual([
      entry(0, "SUCCEEDED").Name,
      entry(1, "SUCCEEDED").Name,
    ]);
  });

  it("writes only the outputs with Transformation COMPACT, a failed child unchanged", async () => {
    const bucket = await fixture.s3.bucket();
    await fixture.store.writeResults(
      request(bucket, "compact", { Transformation: "COMPACT" }),
      stream([entry(0, "SUCCEEDED", { total: 10 }), entry(1, "SUCCEEDED", [1, 2]), entry(2, "FAILED")]),
    );
    expect(await readJson(bucket, `compact/${mapRunId}/SUCCEEDED_0.json`)).toEqual([{ total: 10 }, [1, 2]]);
    expect(await readJson(bucket, `compact/${mapRunId}/FAILED_0.json`)).toEqual([
      expect.objectContaining({ Status: "FAILED", Error: "RowError" }),
    ]);
  });

  it("spreads array outputs with Transformation FLATTEN", async () => {
    const bucket = await fixture.s3.bucket();
    await fixture.store.writeResults(
      request(bucket, "flat", { Transformation: "FLATTEN" }),
      stream([entry(0, "SUCCEEDED", [1, 2]), entry(1, "SUCCEEDED", { one: 3 }), entry(2, "SUCCEEDED", [[4], 5])]),
    );
    expect(await readJson(bucket, `flat/${mapRunId}/SUCCEEDED_0.json`)).toEqual([1, 2, { one: 3 }, [4], 5]);
  });

  it("continues in SUCCEEDED_1.json, SUCCEEDED_2.json… when a file would pass the size limit, every entry once and in order", async () => {
    const bucket = await fixture.s3.bucket();
    const small = createObjectStorage(fixture.s3.config, { maxResultFileBytes: 2_000 });
    try {
      const entries = Array.from({ length: 20 }, (_, i) => entry(i, "SUCCEEDED"));
      const details = await small.writeResults(request(bucket, "split"), stream(entries));
      const manifest = (await readJson(bucket, details.Key)) as { ResultFiles: { SUCCEEDED: Array<{ Key: string; Size: number }> } };
      const files = manifest.ResultFiles.SUCCEEDED;
      expect(files.length).toBeGreaterThan(2);
      expect(files.map((f) => f.Key)).toEqual(files.map((_, n) => `split/${mapRunId}/SUCCEEDED_${n}.json`));
      const names: string[] = [];
      for (const file of files) {
        const text = await fixture.s3.getText(bucket, file.Key);
        expect(Buffer.byteLength(text)).toBe(file.Size);
        expect(file.Size).toBeLessThanOrEqual(2_000);
        names.push(...(JSON.parse(text) as Array<{ Name: string }>).map((e) => e.Name));
      }
      expect(names).toEqual(entries.map((e) => e.Name));
    } finally {
      small.close();
    }
  });

  it("uploads a result file larger than one part in parts, holding one part at a time", async () => {
    const bucket = await fixture.s3.bucket();
    const padding = "p".repeat(4_000);
    const count = 2_000; // about 8 MiB: two 5 MiB parts
    async function* many(): AsyncGenerator<ResultWriterEntry> {
      for (let i = 0; i < count; i++) yield entry(i, "SUCCEEDED", { i, padding });
    }
    const details = await fixture.store.writeResults(request(bucket, "big"), many());
    const manifest = (await readJson(bucket, details.Key)) as { ResultFiles: { SUCCEEDED: Array<{ Key: string; Size: number }> } };
    expect(manifest.ResultFiles.SUCCEEDED).toHaveLength(1);
    const text = await fixture.s3.getText(bucket, `big/${mapRunId}/SUCCEEDED_0.json`);
    expect(Buffer.byteLength(text)).toBe(manifest.ResultFiles.SUCCEEDED[0]?.Size);
    expect(Buffer.byteLength(text)).toBeGreaterThan(5 * 1024 * 1024);
    const written = JSON.parse(text) as Array<{ Output: string }>;
    expect(written).toHaveLength(count);
    expect(written.map((e) => (JSON.parse(e.Output) as { i: number }).i)).toEqual(Array.from({ length: count }, (_, i) => i));
    if (fixture.s3.requests !== undefined) {
      const requests = fixture.s3.requests;
      await expect.poll(() => requests.some((url) => url.includes("SUCCEEDED_0.json") && url.includes("partNumber=2"))).toBe(true);
    }
  });
});

describe("a ResultWriter that cannot write", () => {
  it("names the bucket and prefix when the bucket does not exist", async () => {
    const bucket = `${await fixture.s3.bucket()}-missing`;
    await expect(fixture.store.writeResults(request(bucket, "jobs"), stream([entry(0, "SUCCEEDED")]))).rejects.toEqual({
      error: "States.ResultWriterFailed",
      cause: `Unable to write the results to s3://${bucket}/jobs/${mapRunId}/: the bucket does not exist (NoSuchBucket)`,
    });
  });

  it("aborts a multipart upload it cannot finish, leaving no incomplete upload", async () => {
    const bucket = await fixture.s3.bucket();
    const padding = "p".repeat(4_000);
    async function* breaksMidway(): AsyncGenerator<ResultWriterEntry> {
      for (let i = 0; i < 1_500; i++) yield entry(i, "SUCCEEDED", { i, padding });
      throw new Error("the results could not be read");
    }
    await expect(fixture.store.writeResults(request(bucket, "broken"), breaksMidway())).rejects.toEqual({
      error: "States.ResultWriterFailed",
      cause: `Unable to write the results to s3://${bucket}/broken/${mapRunId}/: Error: the results could not be read`,
    });
    const { ListMultipartUploadsCommand } = await import("@aws-sdk/client-s3");
    if (fixture.s3.requests === undefined) {
      const uploads = await fixture.s3.client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
      expect(uploads.Uploads ?? []).toEqual([]);
    } else {
      // s3rver cannot list uploads: check the abort was asked for.
      const requests = fixture.s3.requests;
      await expect.poll(() => requests.some((url) => url.includes("SUCCEEDED_0.json?uploadId="))).toBe(true);
    }
    expect(await fixture.s3.keys(bucket)).toEqual([]);
  });

  it("names the endpoint when the store cannot be reached", async () => {
    const unreachable = createObjectStorage(
      loadObjectStorageConfig({
        AWS_ENDPOINT_URL_S3: "http://127.0.0.1:9",
        AWS_ACCESS_KEY_ID: "a",
        AWS_SECRET_ACCESS_KEY: "b",
        AWS_MAX_ATTEMPTS: "1",
      }),
    );
    try {
      await expect(unreachable.writeResults(request("results", "jobs"), stream([]))).rejects.toEqual({
        error: "States.ResultWriterFailed",
        cause: `Unable to write the results to s3://results/jobs/${mapRunId}/: the object store at http://127.0.0.1:9 could not be reached (ECONNREFUSED)`,
      });
    } finally {
      unreachable.close();
    }
  });
});
