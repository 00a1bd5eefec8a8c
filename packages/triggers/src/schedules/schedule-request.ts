/**
 * CreateSchedule and UpdateSchedule requests, checked field by field as EventBridge Scheduler checks them
 * (its API reference's lengths, patterns and ranges), and turned into the stored schedule with its first
 * due time. Every refusal is a ValidationException naming the field.
 */
import { randomUUID } from "node:crypto";
import type { FlexibleTimeWindow, NewSchedule, ScheduleTarget } from "@stepwise/storage";
import { DueTimes } from "../expressions/due-times.ts";
import { ValidationException } from "../validation.ts";
import { targetStateMachine } from "./target.ts";

export interface SchedulerArnContext {
  region: string;
  accountId: string;
}

export const scheduleArn = (c: SchedulerArnContext, group: string, name: string) =>
  `arn:aws:scheduler:${c.region}:${c.accountId}:schedule/${group}/${name}`;
export const scheduleGroupArn = (c: SchedulerArnContext, name: string) =>
  `arn:aws:scheduler:${c.region}:${c.accountId}:schedule-group/${name}`;

const NAME = /^[0-9a-zA-Z-_.]+$/;
/** AWS refuses a StartDate further in the past than this. */
const START_DATE_PAST_MS = 5 * 60_000;
/** Target fields for other services' targets (ECS, SQS, EventBridge…): Stepwise starts state machines only. */
const FOREIGN_TARGET_FIELDS = [
  "EcsParameters",
  "EventBridgeParameters",
  "EventBridgePutEventsV2Parameters",
  "EventBridgePutRawEventsParameters",
  "KinesisParameters",
  "SageMakerPipelineParameters",
  "SqsParameters",
];

const fail = (field: string, detail: string) => new ValidationException(field, detail);

export function checkName(value: unknown, field: string): string {
  if (typeof value !== "string" || value.length < 1 || value.length > 64 || !NAME.test(value)) {
    throw fail(field, "must be 1 to 64 characters of letters, digits, '-', '_' and '.'");
  }
  return value;
}

function optionalString(body: Record<string, unknown>, field: string, min: number, max: number): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value.length < min || value.length > max)
    throw fail(field, `must be a string of ${min} to ${max} characters`);
  return value;
}

function oneOf<T extends string>(
  body: Record<string, unknown>,
  field: string,
  values: readonly T[],
  fallback: T | undefined,
  path = field,
): T {
  const value = body[field] ?? fallback;
  if (!values.includes(value as T)) throw fail(path, `must be one of ${values.join(", ")}`);
  return value as T;
}

function integer(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw fail(field, `must be a whole number from ${min} to ${max}`);
  }
  return value;
}

/** The REST-JSON protocol sends timestamps as epoch seconds; ISO text is taken too (the CLI's own input). */
function date(body: Record<string, unknown>, field: string): Date | null {
  const value = body[field];
  if (value === undefined || value === null) return null;
  const ms = typeof value === "number" ? value * 1000 : typeof value === "string" ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw fail(field, "must be a timestamp");
  return new Date(Math.floor(ms));
}

function flexibleTimeWindow(value: unknown): FlexibleTimeWindow {
  if (typeof value !== "object" || value === null)
    throw fail("FlexibleTimeWindow", "is required (Mode OFF, or FLEXIBLE with MaximumWindowInMinutes)");
  const window = value as Record<string, unknown>;
  const mode = oneOf(window, "Mode", ["OFF", "FLEXIBLE"] as const, undefined, "FlexibleTimeWindow.Mode");
  if (mode === "OFF") {
    if (window.MaximumWindowInMinutes !== undefined)
      throw fail("FlexibleTimeWindow.MaximumWindowInMinutes", "is only allowed with Mode FLEXIBLE");
    return { Mode: "OFF" };
  }
  return {
    Mode: "FLEXIBLE",
    MaximumWindowInMinutes: integer(window.MaximumWindowInMinutes, "FlexibleTimeWindow.MaximumWindowInMinutes", 1, 1440),
  };
}

function target(value: unknown): ScheduleTarget {
  if (typeof value !== "object" || value === null) throw fail("Target", "is required");
  const t = value as Record<string, unknown>;
  const foreign = FOREIGN_TARGET_FIELDS.find((field) => t[field] !== undefined);
  if (foreign) throw fail(`Target.${foreign}`, "Stepwise schedules start state machines only");
  const arn = optionalString(t, "Arn", 1, 1600);
  if (arn === undefined) throw fail("Target.Arn", "is required");
  const roleArn = optionalString(t, "RoleArn", 1, 1600);
  if (roleArn === undefined) throw fail("Target.RoleArn", "is required");
  const result: ScheduleTarget = { Arn: arn, RoleArn: roleArn };
  const input = optionalString(t, "Input", 1, 8192);
  if (input !== undefined) result.Input = input;
  if (t.RetryPolicy !== undefined) {
    if (typeof t.RetryPolicy !== "object" || t.RetryPolicy === null) throw fail("Target.RetryPolicy", "must be an object");
    const policy = t.RetryPolicy as Record<string, unknown>;
    result.RetryPolicy = {};
    if (policy.MaximumEventAgeInSeconds !== undefined) {
      result.RetryPolicy.MaximumEventAgeInSeconds = integer(
        policy.MaximumEventAgeInSeconds,
        "Target.RetryPolicy.MaximumEventAgeInSeconds",
        60,
        86_400,
      );
    }
    if (policy.MaximumRetryAttempts !== undefined) {
      result.RetryPolicy.MaximumRetryAttempts = integer(policy.MaximumRetryAttempts, "Target.RetryPolicy.MaximumRetryAttempts", 0, 185);
    }
  }
  if (t.DeadLetterConfig !== undefined) {
    const dlq = optionalString((t.DeadLetterConfig ?? {}) as Record<string, unknown>, "Arn", 1, 1600);
    result.DeadLetterConfig = dlq === undefined ? {} : { Arn: dlq };
  }
  return result;
}

export interface ScheduleRequestContext extends SchedulerArnContext {
  now: Date;
  /** An updated schedule keeps its creation time: a rate without StartDate still counts from it. */
  createdAt?: Date;
}

/** A CreateSchedule request as the schedule to store, with its first due time. */
export function scheduleFromRequest(name: string, body: Record<string, unknown>, context: ScheduleRequestContext): NewSchedule {
  const { now } = context;
  checkName(name, "Name");
  const groupName = body.GroupName === undefined || body.GroupName === null ? "default" : checkName(body.GroupName, "GroupName");
  const expression = optionalString(body, "ScheduleExpression", 1, 256);
  if (expression === undefined) throw fail("ScheduleExpression", "is required");
  const timezone = optionalString(body, "ScheduleExpressionTimezone", 1, 50) ?? null;
  const startDate = date(body, "StartDate");
  const endDate = date(body, "EndDate");
  if (startDate && startDate.getTime() < now.getTime() - START_DATE_PAST_MS) {
    throw fail("StartDate", "must be no earlier than 5 minutes before the current time");
  }
  if (endDate && endDate <= (startDate ?? now)) throw fail("EndDate", `must be after ${startDate ? "StartDate" : "the current time"}`);
  const state = oneOf(body, "State", ["ENABLED", "DISABLED"] as const, "ENABLED");
  const checkedTarget = target(body.Target);
  const schedule: NewSchedule = {
    arn: scheduleArn(context, groupName, name),
    groupName,
    name,
    description: optionalString(body, "Description", 0, 512) ?? null,
    state,
    expression,
    timezone,
    startDate,
    endDate,
    flexibleTimeWindow: flexibleTimeWindow(body.FlexibleTimeWindow),
    target: checkedTarget,
    stateMachineArn: targetStateMachine(checkedTarget),
    actionAfterCompletion: oneOf(body, "ActionAfterCompletion", ["NONE", "DELETE"] as const, "NONE"),
    kmsKeyArn: optionalString(body, "KmsKeyArn", 1, 2048) ?? null,
    generation: randomUUID(),
    createdAt: context.createdAt ?? now,
    lastModifiedAt: now,
    nextDueAt: null,
  };
  schedule.nextDueAt = firstDue(schedule, now);
  return schedule;
}

/**
 * The first due time from now: a one-time schedule is due at its time even if that has passed (the
 * runner fires it if it is younger than MaximumEventAgeInSeconds); a disabled schedule has none.
 */
export function firstDue(
  schedule: Pick<NewSchedule, "state" | "expression" | "timezone" | "startDate" | "endDate" | "createdAt">,
  now: Date,
): Date | null {
  const times = new DueTimes(schedule);
  if (schedule.state !== "ENABLED") return null;
  return (times.oneTime ? times.atOrAfter(new Date(0)) : times.atOrAfter(now)) ?? null;
}
