/**
 * Connection settings for the S3-compatible object store, validated once at start-up. The AWS SDK's
 * standard variables (and STEPWISE_S3_FORCE_PATH_STYLE) are read by @stepwise/aws-config, as for the
 * service integrations; what only the store has is STEPWISE_S3_*.
 */
import { type AwsClientConfig, endpointFor, presentVariables, readAwsClientConfig, s3ForcePathStyle } from "@stepwise/aws-config";
import { z } from "zod";

const positiveInt = z.coerce.number().int().positive();

/** Each variable's `describe` text is its entry in docs/configuration.md (`npm run docs:config`). */
export const objectStorageEnvSchema = z.object({
  STEPWISE_S3_CONNECT_TIMEOUT_MS: positiveInt
    .default(5_000)
    .describe(
      "How long to wait for a TCP connection to the store before the attempt fails, so an unreachable store fails a Map Run instead of hanging it.",
    ),
  STEPWISE_S3_REQUEST_TIMEOUT_MS: positiveInt
    .default(30_000)
    .describe("How long a request may go without a byte from the store before the attempt fails."),
});

export interface ObjectStorageConfig {
  /** Region, credentials, endpoints and retries, shared with every AWS client of the process. */
  aws: AwsClientConfig;
  /** AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL; unset: AWS S3 of the region. */
  endpoint: string | undefined;
  region: string;
  forcePathStyle: boolean;
  maxAttempts: number;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
}

export function loadObjectStorageConfig(env: Record<string, string | undefined> = process.env): ObjectStorageConfig {
  const { config: aws, problems } = readAwsClientConfig(env);
  const parsed = objectStorageEnvSchema.safeParse(presentVariables(env));
  if (!parsed.success) problems.push(...parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  if (!aws || !parsed.success) throw new Error(`Invalid configuration: ${problems.join("; ")}`);
  return {
    aws,
    endpoint: endpointFor(aws, "S3"),
    region: aws.region,
    forcePathStyle: s3ForcePathStyle(aws),
    maxAttempts: aws.maxAttempts,
    connectTimeoutMs: parsed.data.STEPWISE_S3_CONNECT_TIMEOUT_MS,
    requestTimeoutMs: parsed.data.STEPWISE_S3_REQUEST_TIMEOUT_MS,
  };
}
