/** The one S3 client a store uses, with bounded connect and request timeouts and the SDK's retries. */
import { S3Client } from "@aws-sdk/client-s3";
import { sdkClientOptions } from "@stepwise/aws-config";
import type { ObjectStorageConfig } from "./config.ts";

export function createS3Client(config: ObjectStorageConfig): S3Client {
  return new S3Client({
    ...sdkClientOptions(config.aws, "S3"),
    // Without these an unreachable or silent store would hold a Map Run forever: the request timeout
    // bounds the wait for an answer, the socket timeout a body that stops arriving mid-stream.
    requestHandler: {
      connectionTimeout: config.connectTimeoutMs,
      requestTimeout: config.requestTimeoutMs,
      throwOnRequestTimeout: true,
      socketTimeout: config.requestTimeoutMs,
    },
  });
}

/** How causes name the store: the custom endpoint, or AWS S3's regional one. */
export function endpointLabel(config: ObjectStorageConfig): string {
  return config.endpoint ?? `https://s3.${config.region}.amazonaws.com`;
}
