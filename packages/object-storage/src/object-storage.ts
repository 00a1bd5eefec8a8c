/** A DatasetStore over any S3-compatible object store: what a distributed Map reads and writes. */
import type { DatasetStore, ItemReaderRequest, Json, ResultWriterEntry, ResultWriterRequest } from "@stepwise/asl";
import type { ObjectStorageConfig } from "./config.ts";
import { defaultReadLimits, type ReadLimits, readItems } from "./read-items.ts";
import { createS3Client, endpointLabel } from "./s3-client.ts";
import type { S3Context } from "./s3-objects.ts";
import { defaultWriteLimits, type WriteLimits, writeResults } from "./write-results.ts";

export interface ObjectStorage extends DatasetStore {
  /** Releases the client's sockets. */
  close(): void;
}

export interface ObjectStorageLimits extends ReadLimits, WriteLimits {}

export function createObjectStorage(config: ObjectStorageConfig, limits: Partial<ObjectStorageLimits> = {}): ObjectStorage {
  const s3: S3Context = { client: createS3Client(config), endpoint: endpointLabel(config) };
  const readLimits: ReadLimits = { ...defaultReadLimits, ...pick(limits, ["maxItemBytes", "listPageSize"]) };
  const writeLimits: WriteLimits = { ...defaultWriteLimits, ...pick(limits, ["maxResultFileBytes", "partBytes"]) };
  return {
    readItems: (request: ItemReaderRequest, signal?: AbortSignal): AsyncIterable<Json> => readItems(s3, request, readLimits, signal),
    writeResults: (request: ResultWriterRequest, entries: AsyncIterable<ResultWriterEntry>) =>
      writeResults(s3, request, entries, writeLimits),
    close: () => s3.client.destroy(),
  };
}

function pick<T extends object, K extends keyof T>(value: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (value[key] !== undefined) out[key] = value[key];
  return out;
}
