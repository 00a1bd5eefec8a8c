/** EventBridge's names and ARNs of buses and rules, and the name of the execution a delivery starts. */
import { createHash } from "node:crypto";
import { ValidationException } from "../validation.ts";

export interface EventsArnContext {
  region: string;
  accountId: string;
}

const RULE_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
const BUS_NAME = /^[/.\-_A-Za-z0-9]{1,256}$/;
const TARGET_ID = /^[.\-_A-Za-z0-9]{1,64}$/;

export const eventBusArn = (c: EventsArnContext, name: string) => `arn:aws:events:${c.region}:${c.accountId}:event-bus/${name}`;
/** Rules of the default bus have the short form AWS gives them. */
export const ruleArn = (c: EventsArnContext, busName: string, name: string) =>
  `arn:aws:events:${c.region}:${c.accountId}:rule/${busName === "default" ? "" : `${busName}/`}${name}`;

export function checkRuleName(value: unknown, field = "Name"): string {
  if (typeof value !== "string" || !RULE_NAME.test(value)) {
    throw new ValidationException(field, "must be 1 to 64 characters of letters, digits, '.', '-' and '_'");
  }
  return value;
}

export function checkTargetId(value: unknown, field: string): string {
  if (typeof value !== "string" || !TARGET_ID.test(value)) {
    throw new ValidationException(field, "must be 1 to 64 characters of letters, digits, '.', '-' and '_'");
  }
  return value;
}

/** A bus named by name or by ARN (EventBusName accepts both); the default bus when absent. */
export function busNameOf(value: unknown, c: EventsArnContext, field = "EventBusName"): string {
  if (value === undefined || value === null) return "default";
  if (typeof value !== "string") throw new ValidationException(field, "must be a string");
  const prefix = `arn:aws:events:${c.region}:${c.accountId}:event-bus/`;
  if (value.startsWith("arn:")) {
    if (!value.startsWith(prefix)) throw new ValidationException(field, `'${value}' is not an event bus ARN of this region and account`);
    return busNameOf(value.slice(prefix.length), c, field);
  }
  if (!BUS_NAME.test(value)) throw new ValidationException(field, "must be 1 to 256 characters of letters, digits, '/', '.', '-' and '_'");
  return value;
}

/** The name a new bus may have: not `default`, no `/` (reserved for partner buses). */
export function checkNewBusName(value: unknown): string {
  const name = busNameOf(value ?? "", { region: "", accountId: "" }, "Name");
  if (name.includes("/")) throw new ValidationException("Name", "'/' is reserved for partner event buses");
  return name;
}

/**
 * `<event id>-<hash of rule and target>`: at most 47 characters, unique per event, rule and target, and
 * the same however often the delivery is attempted.
 */
export function deliveryExecutionName(eventId: string, ruleArn: string, targetId: string): string {
  return `${eventId}-${createHash("sha256").update(`${ruleArn}\n${targetId}`).digest("hex").slice(0, 10)}`;
}
