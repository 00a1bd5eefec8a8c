/** The one S3 client a store uses, with bounded connect and request timeouts and the SDK's retries. */
import { S3Client } from "@aws-sdk/client-s3";
import type { ObjectStorageConfig } from "./config.ts";

export function createS3Client(config: ObjectStorageConfig): S3Client {
  return new S3Client({
    region: config.region,
    ...(config.endpoint !== undefined ? { endpoint: config.endpoint } : {}),
    ...(config.credentials !== undefined ? { credentials: config.credentials } : {}),
    forcePathStyle: config.forcePathStyle,
    maxAttempts: config.maxAttempts,
    // Checksums only where S3 requires them: the SDK's newer default (a CRC on every request and
    // response) is refused by several S3-compatible stores.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
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
