/**
 * `writeResults`: a Map Run's results in AWS's layout, under `<Prefix>/<map run id>/`:
 * `SUCCEEDED_<n>.json`, `FAILED_<n>.json`, `PENDING_<n>.json` (a group with no execution has no file;
 * a file that would pass the size limit continues in the next n), then `manifest.json` listing them.
 * Entries are streamed: memory holds one upload part per group. Every failure is a
 * `States.ResultWriterFailed` whose cause names the destination and the problem.
 */
import type { Json, ResultWriterDetails, ResultWriterEntry, ResultWriterRequest } from "@stepwise/asl";
import { describeS3Error, isDatasetFailure, resultWriterFailed, s3Url } from "./failures.ts";
import { type ResultFileGroup, resultFileGroup, resultValues } from "./result-entries.ts";
import type { S3Context } from "./s3-objects.ts";
import { MIN_PART_BYTES, StreamingObject } from "./streaming-object.ts";

export const PUT_OBJECT = "arn:aws:states:::s3:putObject";

export interface WriteLimits {
  /** Largest result file before the next is started (AWS: 5 GB). */
  maxResultFileBytes: number;
  /** Bytes held per upload part. */
  partBytes: number;
}

export const defaultWriteLimits: WriteLimits = { maxResultFileBytes: 5 * 1024 ** 3, partBytes: MIN_PART_BYTES };

const groups: ResultFileGroup[] = ["FAILED", "PENDING", "SUCCEEDED"];

export async function writeResults(
  s3: S3Context,
  request: ResultWriterRequest,
  entries: AsyncIterable<ResultWriterEntry>,
  limits: WriteLimits,
): Promise<ResultWriterDetails> {
  if (request.resource !== PUT_OBJECT) {
    throw resultWriterFailed(`The ResultWriter's Resource ${request.resource} is not supported: use ${PUT_OBJECT}`);
  }
  const { Bucket: bucket, Prefix: prefix = "" } = request.parameters;
  if (typeof bucket !== "string" || bucket.length === 0) {
    throw resultWriterFailed(`The ResultWriter's Bucket must be a non-empty string, got ${JSON.stringify(bucket ?? null)}`);
  }
  if (typeof prefix !== "string") throw resultWriterFailed(`The ResultWriter's Prefix must be a string, got ${JSON.stringify(prefix)}`);
  // The map run's id is the last part of its ARN (…:mapRun:<machine>/<state>:<id>).
  const mapRunId = request.mapRunArn.slice(request.mapRunArn.lastIndexOf(":") + 1);
  const directory = `${prefix === "" || prefix.endsWith("/") ? prefix : `${prefix}/`}${mapRunId}/`;
  const jsonLines = request.writerConfig.OutputType === "JSONL";
  const transformation = request.writerConfig.Transformation ?? "NONE";
  const files = new Map(groups.map((group) => [group, new ResultFiles(s3, bucket, `${directory}${group}`, jsonLines, limits)]));
  try {
    for await (const entry of entries) {
      const file = files.get(resultFileGroup(entry)) as ResultFiles;
      for (const value of resultValues(entry, transformation)) await file.add(value);
    }
    const resultFiles: Record<string, Json> = {};
    for (const group of groups) resultFiles[group] = await (files.get(group) as ResultFiles).close();
    const manifestKey = `${directory}manifest.json`;
    const manifest = new StreamingObject(s3, bucket, manifestKey, "application/json");
    await manifest.write(JSON.stringify({ DestinationBucket: bucket, MapRunArn: request.mapRunArn, ResultFiles: resultFiles }));
    await manifest.close();
    return { Bucket: bucket, Key: manifestKey };
  } catch (error) {
    await Promise.all([...files.values()].map((file) => file.abort()));
    if (isDatasetFailure(error)) throw error;
    throw resultWriterFailed(`Unable to write the results to ${s3Url(bucket, directory)}: ${describeS3Error(error, s3.endpoint)}`);
  }
}

/** The files of one group: `<base>_0.json`, `<base>_1.json`, … each within the size limit. */
class ResultFiles {
  private current: StreamingObject | undefined;
  private written: Array<{ Key: string; Size: number }> = [];

  constructor(
    private readonly s3: S3Context,
    private readonly bucket: string,
    private readonly base: string,
    private readonly jsonLines: boolean,
    private readonly limits: WriteLimits,
  ) {}

  async add(value: Json): Promise<void> {
    const text = JSON.stringify(value);
    // Bytes this value adds: a separator (or the opening bracket) before it, the closing bracket after.
    const added = Buffer.byteLength(text, "utf8") + 2;
    if (this.current !== undefined && this.current.size + added > this.limits.maxResultFileBytes) await this.finish();
    if (this.current === undefined) {
      const key = `${this.base}_${this.written.length}.json`;
      this.current = new StreamingObject(
        this.s3,
        this.bucket,
        key,
        this.jsonLines ? "application/jsonl" : "application/json",
        this.limits.partBytes,
      );
      await this.current.write(this.jsonLines ? `${text}\n` : `[${text}`);
      return;
    }
    await this.current.write(this.jsonLines ? `${text}\n` : `,${text}`);
  }

  /** Finishes the last file; returns the manifest's list for this group. */
  async close(): Promise<Array<{ Key: string; Size: number }>> {
    if (this.current !== undefined) await this.finish();
    return this.written;
  }

  async abort(): Promise<void> {
    await this.current?.abort();
  }

  private async finish(): Promise<void> {
    const file = this.current as StreamingObject;
    if (!this.jsonLines) await file.write("]");
    await file.close();
    this.written.push({ Key: file.key, Size: file.size });
    this.current = undefined;
  }
}
