/**
 * The options an `@aws-sdk/client-*` client is built with, from the one parsed configuration: the same
 * region, credentials, endpoint rules and retries for every service, and for S3 the addressing and
 * checksum settings self-hosted stores need.
 */
import type { AwsClientConfig } from "./aws-env.ts";

/** The SDK's service id as endpoint variables spell it: `DynamoDB` → `DYNAMODB`, `ACM PCA` → `ACM_PCA`. */
export function endpointVariableSuffix(serviceId: string): string {
  return serviceId.toUpperCase().replaceAll(" ", "_");
}

/** AWS_ENDPOINT_URL_<SERVICE>, else AWS_ENDPOINT_URL, else undefined (AWS itself). */
export function endpointFor(config: AwsClientConfig, serviceId: string): string | undefined {
  return config.serviceEndpoints.get(endpointVariableSuffix(serviceId)) ?? config.endpoint;
}

/** Path-style (`host/bucket/key`) unless STEPWISE_S3_FORCE_PATH_STYLE says otherwise: on by default for a custom endpoint. */
export function s3ForcePathStyle(config: AwsClientConfig): boolean {
  return config.s3ForcePathStyle ?? endpointFor(config, "S3") !== undefined;
}

export interface SdkClientOptions {
  region: string;
  maxAttempts: number;
  endpoint?: string;
  credentials?: () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>;
  forcePathStyle?: boolean;
  requestChecksumCalculation?: "WHEN_REQUIRED";
  responseChecksumValidation?: "WHEN_REQUIRED";
}

/**
 * Options for a client of the service whose SDK service id is `serviceId` (`S3`, `DynamoDB`, `SQS`). Without
 * static keys the SDK's own provider chain runs (profile, web identity, container or instance role).
 */
export function sdkClientOptions(config: AwsClientConfig, serviceId: string): SdkClientOptions {
  const endpoint = endpointFor(config, serviceId);
  const source = config.credentials;
  return {
    region: config.region,
    maxAttempts: config.maxAttempts,
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(source.kind === "static" ? { credentials: async () => source.get() } : {}),
    ...(serviceId === "S3"
      ? {
          forcePathStyle: s3ForcePathStyle(config),
          // Checksums only where S3 requires them: the SDK's newer default (a CRC on every request and
          // response) is refused by several S3-compatible stores.
          requestChecksumCalculation: "WHEN_REQUIRED",
          responseChecksumValidation: "WHEN_REQUIRED",
        }
      : {}),
  };
}
