import type { Runtime } from "@stepwise/runtime";
import type { EventObserver, EventsArnContext } from "@stepwise/triggers";
import type { Access } from "../auth/scopes.ts";
import { EventsError, validation } from "./events-error.ts";

/** What an EventBridge API handler gets: the caller, the action and the JSON body. */
export interface EventsRequest {
  runtime: Runtime;
  access: Access;
  action: string;
  body: Record<string, unknown>;
  observer: EventObserver;
}

export const arnContext = (runtime: Runtime): EventsArnContext => ({
  region: runtime.config.STEPWISE_REGION,
  accountId: runtime.config.STEPWISE_ACCOUNT_ID,
});

/** Scoped credentials reach state machines; buses hold everyone's rules. */
export function requireUnscoped(request: EventsRequest, why: string): void {
  if (request.access.stateMachineArnPatterns(arnContext(request.runtime)) !== undefined) {
    throw new EventsError(
      "AccessDeniedException",
      `${request.access.principal} is not authorized to perform: ${request.action} because ${why}`,
    );
  }
}

export function optionalText(value: unknown, field: string, max: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value.length > max) throw validation(`${field}: must be a string of at most ${max} characters`);
  return value;
}

/** `Limit` of the list actions: 1 to 100. */
export function limitOf(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 100)
    throw validation("Limit: must be a whole number from 1 to 100");
  return value as number;
}

export function tokenOf(value: unknown): string | undefined {
  return optionalText(value, "NextToken", 2048);
}

export const seconds = (date: Date) => date.getTime() / 1000;
