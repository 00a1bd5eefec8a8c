/**
 * This server's event buses as a state machine's `events:putEvents` task reaches them (through
 * @stepwise/integrations, which takes this interface so it needs no storage of its own): the same
 * PutEvents as the API's, and which bus names are this server's when an external EventBridge endpoint is
 * configured too.
 */
import type { Runtime } from "@stepwise/runtime";
import { EventsResourceNotFound, getEventBus } from "@stepwise/storage";
import { acceptEvents, type PutEventsResponse } from "./accept-events.ts";
import type { EventObserver } from "./event-metrics.ts";
import { busNameOf, type EventsArnContext } from "./event-names.ts";

export interface LocalEventBus {
  /**
   * Whether an entry's `EventBusName` names a bus of this server rather than one of the external
   * EventBridge: an event bus ARN of this server's region and account, or the name of a custom bus that
   * exists here. `default` by name (or no name) is the external endpoint's, since one was configured.
   */
  owns(eventBusName: unknown): Promise<boolean>;
  /** PutEvents on this server's buses: durable before it answers, rules matched, deliveries started. */
  putEvents(entries: ReadonlyArray<Record<string, unknown>>): Promise<PutEventsResponse>;
}

export function localEventBus(runtime: Runtime, observer: EventObserver): LocalEventBus {
  const context: EventsArnContext = { region: runtime.config.STEPWISE_REGION, accountId: runtime.config.STEPWISE_ACCOUNT_ID };
  const ownArnPrefix = `arn:aws:events:${context.region}:${context.accountId}:event-bus/`;
  return {
    owns: async (eventBusName) => {
      if (typeof eventBusName !== "string") return false;
      if (eventBusName.startsWith(ownArnPrefix)) return true;
      if (eventBusName.startsWith("arn:") || eventBusName === "default") return false;
      let name: string;
      try {
        name = busNameOf(eventBusName, context);
      } catch {
        return false; // not a name a bus here could have: the external endpoint judges it
      }
      try {
        await getEventBus(runtime.db, name);
        return true;
      } catch (error) {
        if (error instanceof EventsResourceNotFound) return false;
        throw error;
      }
    },
    putEvents: (entries) => acceptEvents(runtime, entries, observer),
  };
}
