/** Opening an object as a stream, with every S3 failure turned into the failure a caller names. */
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { DatasetFailure } from "@stepwise/asl";
import { describeS3Error, s3Url } from "./failures.ts";

export interface S3Context {
  client: S3Client;
  /** The store as causes name it. */
  endpoint: string;
}

export interface ObjectRef {
  bucket: string;
  key: string;
  versionId?: string;
}

/** The object's body as a byte stream; the caller must read it to the end or destroy it. */
export async function openObject(
  s3: S3Context,
  ref: ObjectRef,
  fail: (cause: string) => DatasetFailure,
  signal?: AbortSignal,
): Promise<AsyncIterable<Uint8Array> & { destroy?: () => void }> {
  let body: unknown;
  try {
    const response = await s3.client.send(
      new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key, ...(ref.versionId !== undefined ? { VersionId: ref.versionId } : {}) }),
      signal !== undefined ? { abortSignal: signal } : {},
    );
    body = response.Body;
  } catch (error) {
    throw fail(`Unable to read ${describeRef(ref)}: ${describeS3Error(error, s3.endpoint)}`);
  }
  if (body === undefined) throw fail(`Unable to read ${describeRef(ref)}: the response has no body`);
  return body as AsyncIterable<Uint8Array> & { destroy?: () => void };
}

export function describeRef(ref: ObjectRef): string {
  return ref.versionId !== undefined ? `${s3Url(ref.bucket, ref.key)} (version ${ref.versionId})` : s3Url(ref.bucket, ref.key);
}
