/**
 * Items of `arn:aws:states:::s3:listObjectsV2`: one per object under the prefix, page after page, in
 * AWS's shape (`{"Etag", "Key", "LastModified" (epoch seconds), "Size", "StorageClass"}`).
 */
import { ListObjectsV2Command, type ListObjectsV2CommandOutput } from "@aws-sdk/client-s3";
import type { DatasetFailure, JsonObject } from "@stepwise/asl";
import { describeS3Error, s3Url } from "./failures.ts";
import type { S3Context } from "./s3-objects.ts";

export async function* listObjectsItems(
  s3: S3Context,
  bucket: string,
  prefix: string | undefined,
  pageSize: number | undefined,
  fail: (cause: string) => DatasetFailure,
  signal?: AbortSignal,
): AsyncGenerator<JsonObject> {
  let continuationToken: string | undefined;
  do {
    let page: ListObjectsV2CommandOutput;
    try {
      page = await s3.client.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          ...(prefix !== undefined ? { Prefix: prefix } : {}),
          ...(continuationToken !== undefined ? { ContinuationToken: continuationToken } : {}),
          ...(pageSize !== undefined ? { MaxKeys: pageSize } : {}),
        }),
        signal !== undefined ? { abortSignal: signal } : {},
      );
    } catch (error) {
      throw fail(`Unable to list ${s3Url(bucket, prefix ?? "")}: ${describeS3Error(error, s3.endpoint)}`);
    }
    for (const object of page.Contents ?? []) {
      yield {
        Etag: object.ETag ?? "",
        Key: object.Key ?? "",
        LastModified: object.LastModified !== undefined ? Math.floor(object.LastModified.getTime() / 1000) : 0,
        Size: object.Size ?? 0,
        StorageClass: object.StorageClass ?? "STANDARD",
      };
    }
    continuationToken = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (continuationToken !== undefined);
}
