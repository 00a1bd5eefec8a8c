/** What the object-storage tests share: a server and store per file, reading items, and failures. */
import type { DatasetStore, ItemReaderRequest, Json, JsonObject, ReaderConfig } from "@stepwise/asl";
import { type S3TestServer, startS3TestServer } from "@stepwise/testkit/s3";
import { afterAll, beforeAll } from "vitest";
import { createObjectStorage, type ObjectStorage } from "../src/index.ts";

export async function collect(items: AsyncIterable<Json>): Promise<Json[]> {
  const out: Json[] = [];
  for await (const item of items) out.push(item);
  return out;
}

export function getObject(bucket: string, key: string, readerConfig: ReaderConfig = {}, extra: JsonObject = {}): ItemReaderRequest {
  return { resource: "arn:aws:states:::s3:getObject", parameters: { Bucket: bucket, Key: key, ...extra }, readerConfig };
}

/** The failure reading everything throws (fails the test when reading succeeds). */
export async function readFailure(store: DatasetStore, request: ItemReaderRequest): Promise<{ error: string; cause: string }> {
  try {
    await collect(store.readItems(request));
  } catch (error) {
    return error as { error: string; cause: string };
  }
  throw new Error("expected the read to fail, but it succeeded");
}

export interface StoreFixture {
  /** The S3-protocol server of this test file. */
  s3: S3TestServer;
  /** The store under test, configured for that server. */
  store: ObjectStorage;
}

/** Starts a server and a store for the test file, and removes both (with every bucket made) after it. */
export function storeFixture(): StoreFixture {
  const fixture = {} as StoreFixture;
  beforeAll(async () => {
    fixture.s3 = await startS3TestServer();
    fixture.store = createObjectStorage(fixture.s3.config);
  });
  afterAll(async () => {
    fixture.store?.close();
    await fixture.s3?.close();
  });
  return fixture;
}
