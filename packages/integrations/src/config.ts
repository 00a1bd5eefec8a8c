/**
 * Configuration of AWS service integrations, parsed and validated once at start-up. Integrations are off
 * unless STEPWISE_AWS_INTEGRATIONS lists the services a worker may call; endpoints, region and
 * credentials come from the AWS SDK's standard variables.
 */
import { z } from "zod";

/** Services as named in resources (`dynamodb`, `sqs`), or every service. */
export type EnabledServices = ReadonlySet<string> | "*";

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface IntegrationsConfig {
  enabled: EnabledServices;
  region: string;
  /** AWS_ENDPOINT_URL: every service's endpoint, unless its own is set. */
  endpoint: string | undefined;
  /** AWS_ENDPOINT_URL_<SERVICE> by the SDK's upper-case service id (`DYNAMODB`, `SQS`). */
  serviceEndpoints: ReadonlyMap<string, string>;
  /**
   * Where credentials come from: the static keys (behind a function, so that logging or serialising the
   * config never shows them), the SDK's own provider chain when a profile, web identity or container role
   * is configured, or nowhere: integration tasks then fail naming the variables to set.
   */
  credentials: { kind: "static"; get: () => AwsCredentials } | { kind: "providerChain" } | { kind: "none" };
}

const SERVICE_NAME = /^[a-z0-9-]+$/;

const serviceList = z
  .string()
  .default("")
  .transform((text, ctx): EnabledServices => {
    const names = text
      .split(",")
      .map((n) => n.trim())
      .filter((n) => n !== "");
    if (names.includes("*")) return "*";
    for (const name of names) {
      if (!SERVICE_NAME.test(name)) {
        ctx.addIssue({ code: "custom", message: `'${name}' is not a service name as resources spell it (dynamodb, sqs, …) or *` });
      }
    }
    return new Set(names);
  });

const optionalText = z.string().min(1).optional();

const schema = z.object({
  STEPWISE_AWS_INTEGRATIONS: serviceList,
  AWS_REGION: optionalText,
  AWS_DEFAULT_REGION: optionalText,
  AWS_ENDPOINT_URL: z.string().url().optional(),
  AWS_ACCESS_KEY_ID: optionalText,
  AWS_SECRET_ACCESS_KEY: optionalText,
  AWS_SESSION_TOKEN: optionalText,
  AWS_PROFILE: optionalText,
  AWS_WEB_IDENTITY_TOKEN_FILE: optionalText,
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: optionalText,
  AWS_CONTAINER_CREDENTIALS_FULL_URI: optionalText,
});

const SERVICE_ENDPOINT = /^AWS_ENDPOINT_URL_([A-Z0-9_]+)$/;

/** Parses the environment; a bad value stops start-up with every problem named (never a secret's value). */
export function loadIntegrationsConfig(env: Record<string, string | undefined> = process.env): IntegrationsConfig {
  const parsed = schema.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  const serviceEndpoints = new Map<string, string>();
  for (const [name, value] of Object.entries(env)) {
    const service = SERVICE_ENDPOINT.exec(name)?.[1];
    if (!service || value === undefined || value === "") continue;
    if (z.string().url().safeParse(value).success) serviceEndpoints.set(service, value);
    else problems.push(`${name}: Invalid URL`);
  }
  const vars = parsed.data;
  if (vars && (vars.AWS_ACCESS_KEY_ID === undefined) !== (vars.AWS_SECRET_ACCESS_KEY === undefined)) {
    problems.push("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: set both or neither");
  }
  if (!vars || problems.length > 0) throw new Error(`Invalid configuration: ${problems.join("; ")}`);
  return {
    enabled: vars.STEPWISE_AWS_INTEGRATIONS,
    region: vars.AWS_REGION ?? vars.AWS_DEFAULT_REGION ?? "us-east-1",
    endpoint: vars.AWS_ENDPOINT_URL,
    serviceEndpoints,
    credentials: credentialSource(vars),
  };
}

function credentialSource(vars: z.infer<typeof schema>): IntegrationsConfig["credentials"] {
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

export function isEnabled(config: IntegrationsConfig, service: string): boolean {
  return config.enabled === "*" || config.enabled.has(service);
}
