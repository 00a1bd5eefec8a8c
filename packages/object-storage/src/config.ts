/**
 * Connection settings for the S3-compatible object store, from the environment, validated once at
 * start-up. Names are the AWS SDK's standard ones; what the SDK has no variable for is STEPWISE_S3_*.
 */
import { z } from "zod";

const positiveInt = z.coerce.number().int().positive();

export const objectStorageEnvSchema = z.object({
  /** The S3 endpoint (MinIO, Ceph, R2, …); unset: AWS S3 of AWS_REGION. */
  AWS_ENDPOINT_URL_S3: z.url().optional(),
  /** The endpoint for every AWS service, used for S3 when AWS_ENDPOINT_URL_S3 is unset. */
  AWS_ENDPOINT_URL: z.url().optional(),
  AWS_REGION: z.string().min(1).default("us-east-1"),
  /** With AWS_SECRET_ACCESS_KEY; both unset: the SDK's default chain (profile, web identity, instance role). */
  AWS_ACCESS_KEY_ID: z.string().min(1).optional(),
  AWS_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  AWS_SESSION_TOKEN: z.string().min(1).optional(),
  /** Attempts per S3 call, the first included (the SDK's standard retry mode). */
  AWS_MAX_ATTEMPTS: positiveInt.max(10).default(3),
  /** `true`/`false`; unset: path-style when a custom endpoint is set (most self-hosted stores need it). */
  STEPWISE_S3_FORCE_PATH_STYLE: z.enum(["true", "false"]).optional(),
  /** How long to wait for a TCP connection to the store before the attempt fails. */
  STEPWISE_S3_CONNECT_TIMEOUT_MS: positiveInt.default(5_000),
  /** How long a request may go without a byte from the store before the attempt fails. */
  STEPWISE_S3_REQUEST_TIMEOUT_MS: positiveInt.default(30_000),
});

export interface ObjectStorageConfig {
  endpoint: string | undefined;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined;
  forcePathStyle: boolean;
  maxAttempts: number;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
}

export function loadObjectStorageConfig(env: Record<string, string | undefined> = process.env): ObjectStorageConfig {
  // An empty variable means "unset" (docker-compose and .env files write them that way).
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  const parsed = objectStorageEnvSchema.safeParse(present);
  if (!parsed.success) {
    throw new Error(`Invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  const vars = parsed.data;
  if ((vars.AWS_ACCESS_KEY_ID === undefined) !== (vars.AWS_SECRET_ACCESS_KEY === undefined)) {
    throw new Error("Invalid configuration: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together");
  }
  const endpoint = vars.AWS_ENDPOINT_URL_S3 ?? vars.AWS_ENDPOINT_URL;
  const credentials =
    vars.AWS_ACCESS_KEY_ID !== undefined && vars.AWS_SECRET_ACCESS_KEY !== undefined
      ? {
          accessKeyId: vars.AWS_ACCESS_KEY_ID,
          secretAccessKey: vars.AWS_SECRET_ACCESS_KEY,
          ...(vars.AWS_SESSION_TOKEN !== undefined ? { sessionToken: vars.AWS_SESSION_TOKEN } : {}),
        }
      : undefined;
  return {
    endpoint,
    region: vars.AWS_REGION,
    credentials,
    forcePathStyle: vars.STEPWISE_S3_FORCE_PATH_STYLE === undefined ? endpoint !== undefined : vars.STEPWISE_S3_FORCE_PATH_STYLE === "true",
    maxAttempts: vars.AWS_MAX_ATTEMPTS,
    connectTimeoutMs: vars.STEPWISE_S3_CONNECT_TIMEOUT_MS,
    requestTimeoutMs: vars.STEPWISE_S3_REQUEST_TIMEOUT_MS,
  };
}
