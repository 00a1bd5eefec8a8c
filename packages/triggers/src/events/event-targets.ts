/**
 * PutTargets' targets, checked as EventBridge checks them: an Id, a Stepwise state machine (or version or
 * alias) ARN, at most one of Input (JSON text), InputPath and InputTransformer, and a RetryPolicy within
 * AWS's ranges. Each refusal names the field (`Targets[1].Input`).
 */
import { machineTarget } from "@stepwise/runtime";
import type { EventTarget } from "@stepwise/storage";
import { ValidationException } from "../validation.ts";
import { checkTargetId } from "./event-names.ts";
import { parseJsonPath } from "./json-path.ts";

/** AWS: at most five targets per rule. */
export const MAX_TARGETS_PER_RULE = 5;
const INPUT_VARIABLE = /^[A-Za-z0-9_-]{1,256}$/;
/** Other services' target parameters: Stepwise targets state machines only. */
const FOREIGN_FIELDS = [
  "KinesisParameters",
  "RunCommandParameters",
  "EcsParameters",
  "BatchParameters",
  "SqsParameters",
  "HttpParameters",
  "RedshiftDataParameters",
  "SageMakerPipelineParameters",
  "AppSyncParameters",
];

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function optionalString(value: unknown, field: string, max: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value.length > max)
    throw new ValidationException(field, `must be a string of at most ${max} characters`);
  return value;
}

function wholeNumber(value: unknown, field: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw new ValidationException(field, `must be a whole number from ${min} to ${max}`);
  }
  return value as number;
}

export function checkTargets(value: unknown): EventTarget[] {
  if (!Array.isArray(value) || value.length < 1 || value.length > 10)
    throw new ValidationException("Targets", "must be a list of 1 to 10 targets");
  const targets = value.map((target, i) => checkTarget(target, `Targets[${i}]`));
  const ids = new Set<string>();
  for (const [i, target] of targets.entries()) {
    if (ids.has(target.Id)) throw new ValidationException(`Targets[${i}].Id`, `'${target.Id}' appears more than once`);
    ids.add(target.Id);
  }
  return targets;
}

function checkTarget(value: unknown, at: string): EventTarget {
  if (!isObject(value)) throw new ValidationException(at, "must be an object");
  const foreign = FOREIGN_FIELDS.find((field) => value[field] !== undefined);
  if (foreign)
    throw new ValidationException(
      `${at}.${foreign}`,
      "Stepwise targets start state machines; other services' parameters are not supported",
    );
  const arn = value.Arn;
  if (typeof arn !== "string" || !machineTarget(arn)) {
    throw new ValidationException(`${at}.Arn`, `'${String(arn)}' is not a Stepwise state machine, version or alias ARN`);
  }
  const target: EventTarget = { Id: checkTargetId(value.Id, `${at}.Id`), Arn: arn };
  const roleArn = optionalString(value.RoleArn, `${at}.RoleArn`, 1600);
  if (roleArn !== undefined) target.RoleArn = roleArn;
  const inputs = ["Input", "InputPath", "InputTransformer"].filter((field) => value[field] !== undefined && value[field] !== null);
  if (inputs.length > 1)
    throw new ValidationException(at, "Only one of Input, InputPath, or InputTransformer can be specified for a target");
  const input = optionalString(value.Input, `${at}.Input`, 8192);
  if (input !== undefined) {
    try {
      JSON.parse(input);
    } catch {
      throw new ValidationException(`${at}.Input`, "must be valid JSON text");
    }
    target.Input = input;
  }
  const inputPath = optionalString(value.InputPath, `${at}.InputPath`, 256);
  if (inputPath !== undefined) {
    parseJsonPath(inputPath, `${at}.InputPath`);
    target.InputPath = inputPath;
  }
  if (value.InputTransformer !== undefined && value.InputTransformer !== null) {
    target.InputTransformer = checkTransformer(value.InputTransformer, `${at}.InputTransformer`);
  }
  if (value.RetryPolicy !== undefined && value.RetryPolicy !== null) {
    if (!isObject(value.RetryPolicy)) throw new ValidationException(`${at}.RetryPolicy`, "must be an object");
    const maxAge = wholeNumber(value.RetryPolicy.MaximumEventAgeInSeconds, `${at}.RetryPolicy.MaximumEventAgeInSeconds`, 60, 86_400);
    const maxAttempts = wholeNumber(value.RetryPolicy.MaximumRetryAttempts, `${at}.RetryPolicy.MaximumRetryAttempts`, 0, 185);
    target.RetryPolicy = {
      ...(maxAge === undefined ? {} : { MaximumEventAgeInSeconds: maxAge }),
      ...(maxAttempts === undefined ? {} : { MaximumRetryAttempts: maxAttempts }),
    };
  }
  if (isObject(value.DeadLetterConfig)) {
    const dlq = optionalString(value.DeadLetterConfig.Arn, `${at}.DeadLetterConfig.Arn`, 1600);
    target.DeadLetterConfig = dlq === undefined ? {} : { Arn: dlq };
  }
  return target;
}

function checkTransformer(value: unknown, at: string): NonNullable<EventTarget["InputTransformer"]> {
  if (!isObject(value)) throw new ValidationException(at, "must be an object");
  const template = value.InputTemplate;
  if (typeof template !== "string" || template.length < 1 || template.length > 8192) {
    throw new ValidationException(`${at}.InputTemplate`, "must be a string of 1 to 8192 characters");
  }
  if (value.InputPathsMap === undefined || value.InputPathsMap === null) return { InputTemplate: template };
  if (!isObject(value.InputPathsMap))
    throw new ValidationException(`${at}.InputPathsMap`, "must be an object of variable names and JSON paths");
  const entries = Object.entries(value.InputPathsMap);
  if (entries.length > 100) throw new ValidationException(`${at}.InputPathsMap`, "may define at most 100 variables");
  for (const [name, path] of entries) {
    if (name.startsWith("aws.") || !INPUT_VARIABLE.test(name)) {
      throw new ValidationException(
        `${at}.InputPathsMap`,
        `'${name}' is not a variable name you may define (letters, digits, '_' and '-'; aws.* are reserved)`,
      );
    }
    if (typeof path !== "string" || path.length > 256)
      throw new ValidationException(`${at}.InputPathsMap.${name}`, "must be a JSON path of at most 256 characters");
    parseJsonPath(path, `${at}.InputPathsMap.${name}`);
  }
  return { InputPathsMap: value.InputPathsMap as Record<string, string>, InputTemplate: template };
}
