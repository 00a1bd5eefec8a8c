/**
 * The event delivery runner, started by every scheduler process: each round leases the due deliveries
 * (those no process holds: the accepting API process's lease lapsed, or a retry is due) and delivers them,
 * going again while there was work, so several processes share them and one that dies hands them on.
 */
import type { Runtime } from "@stepwise/runtime";
import { leaseDueDeliveries } from "@stepwise/storage";
import { startRoundLoop } from "../round-loop.ts";
import { deliverEvent } from "./deliver-event.ts";
import type { EventObserver } from "./event-metrics.ts";

export interface DeliveryRunnerOptions {
  now?: () => Date;
  leaseMs?: number;
  batch?: number;
  pollMs?: number;
  observer: EventObserver;
}

export interface DeliveryRunner {
  /** One round; returns how many deliveries it handled. */
  tick(): Promise<number>;
  close(): Promise<void>;
}

export function startDeliveryRunner(runtime: Runtime, options: DeliveryRunnerOptions, autoStart = true): DeliveryRunner {
  const now = options.now ?? (() => new Date());
  const leaseMs = options.leaseMs ?? 30_000;
  const batch = options.batch ?? 100;
  const pollMs = options.pollMs ?? runtime.config.STEPWISE_SCHEDULER_POLL_MS;

  const tick = async () => {
    const at = now();
    const due = await leaseDueDeliveries(runtime.db, at, batch, leaseMs);
    const outcomes = await Promise.allSettled(due.map((delivery) => deliverEvent(runtime, delivery, at, options.observer)));
    // A delivery that could not be recorded stays leased; it is tried again when its lease lapses.
    for (const outcome of outcomes) {
      if (outcome.status === "rejected") runtime.logger.error({ err: outcome.reason }, "an event delivery could not be completed");
    }
    return due.length;
  };
  const loop = autoStart ? startRoundLoop(runtime, tick, { batch, pollMs, what: "event delivery" }) : undefined;
  return { tick, close: async () => loop?.close() };
}
