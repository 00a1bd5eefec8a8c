/** PutEvents (entries accepted into Postgres, then started at once by this process) and TestEventPattern. */
import { checkEntriesList, compilePattern, deliverEvent, matchesPattern, putEvents } from "@stepwise/triggers";
import type { EventsRequest } from "./events-context.ts";
import { validation } from "./events-error.ts";

/** Fields TestEventPattern's event must have, as AWS requires them. */
const EVENT_FIELDS = ["id", "account", "source", "time", "region", "detail-type"];

export async function putEventsAction(request: EventsRequest) {
  const { runtime, observer } = request;
  const entries = checkEntriesList(request.body.Entries);
  const now = new Date();
  const outcome = await putEvents(runtime, entries, now);
  const failed = outcome.entries.filter((entry) => "ErrorCode" in entry).length;
  const acceptedByBus = new Map<string, number>();
  for (const bus of outcome.accepted) acceptedByBus.set(bus, (acceptedByBus.get(bus) ?? 0) + 1);
  for (const [bus, count] of acceptedByBus) observer.accepted(bus, count);
  for (const match of outcome.matched) observer.matched(match.busName, match.ruleName);
  // Accepted and leased to this process: start them now; a failure here is the delivery runner's to retry.
  void Promise.all(
    outcome.deliveries.map((delivery) =>
      deliverEvent(runtime, { ...delivery, attempts: 0 }, now, observer).catch((err) =>
        runtime.logger.warn(
          { err, event: delivery.eventId },
          "an event's first delivery attempt failed; the delivery runner will retry it",
        ),
      ),
    ),
  );
  return { FailedEntryCount: failed, Entries: outcome.entries };
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
