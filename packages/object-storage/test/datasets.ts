/** Small helpers the object-storage tests share: reading a store's items, and its failures. */
import type { DatasetStore, ItemReaderRequest, Json, JsonObject, ReaderConfig } from "@stepwise/asl";

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
