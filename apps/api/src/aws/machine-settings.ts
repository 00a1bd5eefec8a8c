/**
 * Logging, tracing and encryption settings of CreateStateMachine / UpdateStateMachine, stored normalised
 * (defaults filled in) so that CreateStateMachine's idempotency compares like with like.
 */
import type { JsonObject } from "@stepwise/asl";
import { z } from "zod";
import { AwsError, validationError } from "./aws-error.ts";

export const loggingField = z
  .object({
    level: z.enum(["ALL", "ERROR", "FATAL", "OFF"]).optional(),
    includeExecutionData: z.boolean().optional(),
    destinations: z
      .array(z.object({ cloudWatchLogsLogGroup: z.object({ logGroupArn: z.string().min(1).max(256).optional() }).optional() }))
      .optional(),
  })
  .optional();

export const tracingField = z.object({ enabled: z.boolean().optional() }).optional();

export const encryptionField = z
  .object({
    kmsKeyId: z.string().min(1).max(2048).optional(),
    kmsDataKeyReusePeriodSeconds: z.number().int().min(60).max(900).optional(),
    type: z.enum(["AWS_OWNED_KEY", "CUSTOMER_MANAGED_KMS_KEY"]),
  })
  .optional();

export const DEFAULT_LOGGING: JsonObject = { level: "OFF", includeExecutionData: false };
export const DEFAULT_TRACING: JsonObject = { enabled: false };

/** A CloudWatch Logs log group ARN, which AWS requires to end with `:*` (all its streams). */
const LOG_GROUP_ARN = /^arn:[a-z-]+:logs:[a-z0-9-]+:\d{12}:log-group:[\w./#-]{1,512}:\*$/;

function invalidLogging(problem: string, field: string): AwsError {
  return new AwsError("InvalidLoggingConfiguration", `Invalid Logging Configuration: ${problem} (at loggingConfiguration.${field})`);
}

/** AWS's rules: at most one destination, required unless the level is OFF, and it must name a log group. */
export function normaliseLogging(logging: z.infer<typeof loggingField>): JsonObject {
  if (!logging) return DEFAULT_LOGGING;
  const level = logging.level ?? "OFF";
  const destinations = logging.destinations ?? [];
  if (destinations.length > 1) throw invalidLogging("Must specify exactly one Log Destination.", "destinations");
  if (level !== "OFF" && destinations.length === 0)
    throw invalidLogging(`Must specify exactly one Log Destination when the level is ${level}.`, "destinations");
  const arn = destinations[0]?.cloudWatchLogsLogGroup?.logGroupArn;
  if (destinations.length === 1 && (arn === undefined || !LOG_GROUP_ARN.test(arn)))
    throw invalidLogging(
      `Log Destination must be a CloudWatch Logs log group ARN ending in ':*', like arn:aws:logs:us-east-1:123456789012:log-group:my-group:*; got ${arn === undefined ? "none" : `'${arn}'`}.`,
      "destinations[0].cloudWatchLogsLogGroup.logGroupArn",
    );
  return {
    level,
    includeExecutionData: logging.includeExecutionData ?? false,
    ...(destinations.length > 0 ? { destinations: destinations as JsonObject[] } : {}),
  };
}

export function normaliseTracing(tracing: z.infer<typeof tracingField>): JsonObject {
  return { enabled: tracing?.enabled ?? false };
}

/** Data is not encrypted with customer keys here; refusing such a request beats pretending to. */
export function requireOwnedKey(encryption: z.infer<typeof encryptionField>): void {
  if (encryption && encryption.type !== "AWS_OWNED_KEY") {
    throw validationError("Customer managed KMS keys are not supported by Stepwise: use type AWS_OWNED_KEY");
  }
}
