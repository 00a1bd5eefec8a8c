/**
 * PutEvents as every caller of this server's buses runs it — the EventBridge API and a state machine's
 * `arn:aws:states:::events:putEvents` task alike: the request checked as AWS checks it, each accepted
 * entry's deliveries written to Postgres before the answer (putEvents), the events counted, and the
 * deliveries started at once by this process. A first attempt that fails is the delivery runner's to
 * retry once this process's lease lapses, so the answer never waits on the targets.
 */
import type { Runtime } from "@stepwise/runtime";
import { deliverEvent } from "./deliver-event.ts";
import { checkEntriesList } from "./event-entries.ts";
import type { EventObserver } from "./event-metrics.ts";
import { type PutEventsResultEntry, putEvents } from "./put-events.ts";

/** PutEvents' response, as EventBridge answers it. */
export interface PutEventsResponse {
  FailedEntryCount: number;
  Entries: PutEventsResultEntry[];
}

/** `entries`: PutEvents' `Entries` as the wire carries them (`Detail` as JSON text, `Time` in epoch seconds). */
export async function acceptEvents(runtime: Runtime, entries: unknown, observer: EventObserver): Promise<PutEventsResponse> {
  const checked = checkEntriesList(entries);
  const now = new Date();
  const outcome = await putEvents(runtime, checked, now);
  const acceptedByBus = new Map<string, number>();
  for (const bus of outcome.accepted) acceptedByBus.set(bus, (acceptedByBus.get(bus) ?? 0) + 1);
  for (const [bus, count] of acceptedByBus) observer.accepted(bus, count);
  for (const match of outcome.matched) observer.matched(match.busName, match.ruleName);
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
  return { FailedEntryCount: outcome.entries.filter((entry) => "ErrorCode" in entry).length, Entries: outcome.entries };
}
