/**
 * The AWS SDK's standard variables, read once at start-up by everything in Stepwise that talks to AWS (or
 * a server speaking an AWS protocol): the object store of distributed Maps and the service integrations.
 * One parser, so that a variable means the same to both and a bad one is named the same way.
 */
import { z } from "zod";

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/**
 * Where credentials come from: static keys (behind a function, so that logging or serialising the config
 * never shows them), the SDK's own provider chain when a profile, web identity or container role is
 * configured, or nothing the variables name (the SDK's chain may still find an instance role).
 */
export type CredentialSource = { kind: "static"; get: () => AwsCredentials } | { kind: "providerChain" } | { kind: "none" };

export interface AwsClientConfig {
  region: string;
  /** AWS_ENDPOINT_URL: every service's endpoint, unless its own is set. */
  endpoint: string | undefined;
  /** AWS_ENDPOINT_URL_<SERVICE>, by the SDK's service id in upper case, spaces as `_` (`DYNAMODB`, `S3`). */
  serviceEndpoints: ReadonlyMap<string, string>;
  credentials: CredentialSource;
  /** AWS_MAX_ATTEMPTS: attempts per call, the first included (the SDK's standard retry mode). */
  maxAttempts: number;
  /** STEPWISE_S3_FORCE_PATH_STYLE; undefined: path-style exactly when S3 has a custom endpoint. */
  s3ForcePathStyle: boolean | undefined;
}

const optionalText = z.string().min(1).optional();

/** Each variable's `describe` text is its entry in docs/configuration.md (`npm run docs:config`). */
export const awsEnvSchema = z.object({
  AWS_REGION: optionalText.describe("The region of every AWS client (default `us-east-1`)."),
  AWS_DEFAULT_REGION: optionalText.describe("The region when `AWS_REGION` is unset."),
  AWS_ENDPOINT_URL: z.url().optional().describe("Endpoint of every service whose own `AWS_ENDPOINT_URL_<SERVICE>` is unset; unset: AWS."),
  AWS_ACCESS_KEY_ID: optionalText.describe("Static key id, with `AWS_SECRET_ACCESS_KEY` (both or neither)."),
  AWS_SECRET_ACCESS_KEY: optionalText.describe("Static secret key, with `AWS_ACCESS_KEY_ID`."),
  AWS_SESSION_TOKEN: optionalText.describe("Session token of temporary static keys."),
  AWS_PROFILE: optionalText.describe("Instead of static keys: the SDK's own credential provider chain, with this profile."),
  AWS_WEB_IDENTITY_TOKEN_FILE: optionalText.describe("Instead of static keys: the SDK's provider chain, with web identity."),
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: optionalText.describe(
    "Instead of static keys: the SDK's provider chain, with container credentials.",
  ),
  AWS_CONTAINER_CREDENTIALS_FULL_URI: optionalText.describe(
    "Instead of static keys: the SDK's provider chain, with container credentials.",
  ),
  AWS_MAX_ATTEMPTS: z.coerce
    .number()
    .int()
    .positive()
    .max(10)
    .default(3)
    .describe("Attempts per call of every AWS client, the first included (the SDK's standard retry mode)."),
  STEPWISE_S3_FORCE_PATH_STYLE: z
    .enum(["true", "false"])
    .optional()
    .describe(
      "Unset: path-style S3 requests (`host/bucket/key`) when S3 has a custom endpoint, as most self-hosted stores need; `false`: virtual-hosted (`bucket.host`).",
    ),
});

/** Variables read by name pattern, which a schema cannot list: their entries in docs/configuration.md. */
export const awsEnvPatterns = [
  {
    name: "AWS_ENDPOINT_URL_<SERVICE>",
    description:
      "Endpoint of one service, by the SDK's upper-case service id: `AWS_ENDPOINT_URL_S3` (the S3-compatible store of distributed Maps' datasets, docs/object-storage.md, and `aws-sdk:s3` tasks), `AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_SQS`, `AWS_ENDPOINT_URL_SNS`; unset: `AWS_ENDPOINT_URL`.",
  },
];

const SERVICE_ENDPOINT = /^AWS_ENDPOINT_URL_([A-Z0-9_]+)$/;

/** An empty variable means "unset": docker-compose and .env files write them that way. */
export function presentVariables(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ""));
}

/**
 * The AWS configuration and every problem with it, each naming its variable (never a secret's value), for
 * a caller that reports them together with problems of its own variables.
 */
export function readAwsClientConfig(env: Record<string, string | undefined>): { config?: AwsClientConfig; problems: string[] } {
  const present = presentVariables(env);
  const parsed = awsEnvSchema.safeParse(present);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  const serviceEndpoints = new Map<string, string>();
  for (const [name, value] of Object.entries(present)) {
    const service = SERVICE_ENDPOINT.exec(name)?.[1];
    if (!service) continue;
    if (z.url().safeParse(value).success) serviceEndpoints.set(service, value);
    else problems.push(`${name}: Invalid URL`);
  }
  if ((present.AWS_ACCESS_KEY_ID === undefined) !== (present.AWS_SECRET_ACCESS_KEY === undefined)) {
    problems.push("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: set both or neither");
  }
  const vars = parsed.data;
  if (!vars || problems.length > 0) return { problems };
  return {
    problems,
    config: {
      region: vars.AWS_REGION ?? vars.AWS_DEFAULT_REGION ?? "us-east-1",
      endpoint: vars.AWS_ENDPOINT_URL,
      serviceEndpoints,
      credentials: credentialSource(vars),
      maxAttempts: vars.AWS_MAX_ATTEMPTS,
      s3ForcePathStyle: vars.STEPWISE_S3_FORCE_PATH_STYLE === undefined ? undefined : vars.STEPWISE_S3_FORCE_PATH_STYLE === "true",
    },
  };
}

/** Parses the environment; a bad value stops start-up with every problem named. */
export function loadAwsClientConfig(env: Record<string, string | undefined> = process.env): AwsClientConfig {
  const { config, problems } = readAwsClientConfig(env);
  if (!config) throw new Error(`Invalid configuration: ${problems.join("; ")}`);
  return config;
}

function credentialSource(vars: z.infer<typeof awsEnvSchema>): CredentialSource {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = vars;
  if (accessKeyId && secretAccessKey) {
    const keys: AwsCredentials = { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
    return { kind: "static", get: () => keys };
  }
  const ambient =
    vars.AWS_PROFILE ??
    vars.AWS_WEB_IDENTITY_TOKEN_FILE ??
    vars.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ??
    vars.AWS_CONTAINER_CREDENTIALS_FULL_URI;
  return ambient ? { kind: "providerChain" } : { kind: "none" };
}
