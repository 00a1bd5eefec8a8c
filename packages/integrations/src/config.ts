/**
 * Configuration of AWS service integrations, parsed and validated once at start-up. Integrations are off
 * unless STEPWISE_AWS_INTEGRATIONS lists the services a worker may call; endpoints, region, credentials and
 * retries come from the AWS SDK's standard variables, read by @stepwise/aws-config as for the object store.
 */
import { type AwsClientConfig, presentVariables, readAwsClientConfig } from "@stepwise/aws-config";
import { z } from "zod";

/** Services as named in resources (`dynamodb`, `sqs`), or every service. */
export type EnabledServices = ReadonlySet<string> | "*";

export interface IntegrationsConfig {
  enabled: EnabledServices;
  /** Region, credentials (kept behind a function, never serialised), endpoints, retries, S3 addressing. */
  aws: AwsClientConfig;
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

/** Each variable's `describe` text is its entry in docs/configuration.md (`npm run docs:config`). */
export const integrationsEnvSchema = z.object({
  STEPWISE_AWS_INTEGRATIONS: serviceList.describe(
    "AWS services Task states may call, spelt as resources spell them (`dynamodb,sqs`), or `*`; empty: none (docs/integrations.md).",
  ),
});

/** Parses the environment; a bad value stops start-up with every problem named (never a secret's value). */
export function loadIntegrationsConfig(env: Record<string, string | undefined> = process.env): IntegrationsConfig {
  const { config: aws, problems } = readAwsClientConfig(env);
  const parsed = integrationsEnvSchema.safeParse(presentVariables(env));
  if (!parsed.success) problems.push(...parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  if (!aws || !parsed.success) throw new Error(`Invalid configuration: ${problems.join("; ")}`);
  return { enabled: parsed.data.STEPWISE_AWS_INTEGRATIONS, aws };
}

export function isEnabled(config: IntegrationsConfig, service: string): boolean {
  return config.enabled === "*" || config.enabled.has(service);
}
