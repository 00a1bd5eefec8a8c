/** PutEvents (entries accepted into Postgres, then started at once by this process) and TestEventPattern. */
import { acceptEvents, compilePattern, matchesPattern } from "@stepwise/triggers";
import type { EventsRequest } from "./events-context.ts";
import { validation } from "./events-error.ts";

/** Fields TestEventPattern's event must have, as AWS requires them. */
const EVENT_FIELDS = ["id", "account", "source", "time", "region", "detail-type"];

export async function putEventsAction(request: EventsRequest) {
  return acceptEvents(request.runtime, request.body.Entries, request.observer);
}

export async function testEventPatternAction(request: EventsRequest) {
  const { EventPattern, Event } = request.body;
  if (typeof EventPattern !== "string") throw validation("EventPattern: is required");
  if (typeof Event !== "string") throw validation("Event: is required");
  const pattern = compilePattern(EventPattern);
  let event: unknown;
  try {
    event = JSON.parse(Event);
  } catch {
    throw validation("Parameter Event is not valid: it is not JSON.");
  }
  if (typeof event !== "object" || event === null || Array.isArray(event))
    throw validation("Parameter Event is not valid: it is not a JSON object.");
  const absent = EVENT_FIELDS.find((field) => !Object.hasOwn(event as object, field));
  if (absent) throw validation(`Parameter Event is not valid: the field '${absent}' is missing.`);
  return { Result: matchesPattern(pattern, event) };
}
