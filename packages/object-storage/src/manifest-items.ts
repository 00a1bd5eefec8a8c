/**
 * Items of an S3 Inventory report: its manifest.json names gzipped CSV files (no header row) whose
 * columns are the manifest's `fileSchema`; each row becomes an object from column name to the row's
 * value, all strings (`{"Bucket": …, "Key": …, "Size": …, …}`). Only CSV reports can be read, as in AWS.
 */
import { pipeline, Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import type { DatasetFailure, JsonObject } from "@stepwise/asl";
import { csvRows, rowObject } from "./csv-items.ts";
import { DatasetFormatError } from "./format-error.ts";
import { type ObjectRef, openObject, type S3Context } from "./s3-objects.ts";
import { utf8Chunks } from "./text-stream.ts";

/** A manifest lists files, it is never large: a bigger one is not a manifest. */
const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

interface InventoryManifest {
  destinationBucket: string;
  fileFormat: string;
  fileSchema: string;
  files: Array<{ key: string }>;
}

export async function* manifestItems(
  s3: S3Context,
  manifestRef: ObjectRef,
  fail: (cause: string) => DatasetFailure,
  maxRecordChars: number,
  signal?: AbortSignal,
): AsyncGenerator<JsonObject> {
  const manifest = parseManifest(await readSmallObject(await openObject(s3, manifestRef, fail, signal)));
  const columns = manifest.fileSchema.split(",").map((column) => column.trim());
  // The report's files are in its destination bucket, named by ARN (arn:aws:s3:::bucket).
  const bucket = manifest.destinationBucket.replace(/^arn:[^:]+:s3:::/, "");
  for (const file of manifest.files) {
    const body = await openObject(s3, { bucket, key: file.key }, fail, signal);
    const bytes = file.key.endsWith(".gz") ? gunzip(body) : body;
    for await (const fields of csvRows(utf8Chunks(bytes), ",", maxRecordChars)) yield rowObject(columns, fields);
  }
}

async function readSmallObject(body: AsyncIterable<Uint8Array> & { destroy?: () => void }): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > MAX_MANIFEST_BYTES) {
      body.destroy?.();
      throw new DatasetFormatError(`the manifest is larger than ${MAX_MANIFEST_BYTES} bytes: it is not an S3 Inventory manifest`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseManifest(text: string): InventoryManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DatasetFormatError(`the manifest is not valid JSON (${(error as Error).message})`);
  }
  const manifest = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  for (const field of ["destinationBucket", "fileFormat", "fileSchema"]) {
    if (typeof manifest[field] !== "string") throw new DatasetFormatError(`the manifest has no string field '${field}'`);
  }
  if (manifest.fileFormat !== "CSV") {
    throw new DatasetFormatError(`the inventory's fileFormat is ${String(manifest.fileFormat)}; only CSV inventory reports can be read`);
  }
  const files = manifest.files;
  if (!Array.isArray(files) || files.some((f) => typeof f !== "object" || f === null || typeof (f as { key?: unknown }).key !== "string")) {
    throw new DatasetFormatError("the manifest's 'files' must be an array of objects with a string 'key'");
  }
  return manifest as unknown as InventoryManifest;
}

async function* gunzip(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  // pipeline() destroys every stage when one fails or the reader stops early, so nothing is left open.
  const inflated = pipeline(Readable.from(body), createGunzip(), () => {});
  try {
    for await (const chunk of inflated) yield chunk as Uint8Array;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("Z_")) {
      throw new DatasetFormatError(`an inventory file is not valid gzip (${(error as Error).message})`);
    }
    throw error;
  } finally {
    inflated.destroy();
  }
}
