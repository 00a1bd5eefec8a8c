/**
 * The event delivery runner, started by every scheduler process: each round leases the due deliveries
 * (those no process holds: the accepting API process's lease lapsed, or a retry is due) and delivers them,
 * going again while there was work, so several processes share them and one that dies hands them on.
 */
import type { Runtime } from "@stepwise/runtime";
import { leaseDueDeliveries } from "@stepwise/storage";
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
  let stopped = false;
  let running: Promise<number> | undefined;
  let wake: (() => void) | undefined;

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
  const loop = async () => {
    while (!stopped) {
      running = tick().catch((err) => {
        runtime.logger.error({ err }, "event delivery round failed");
        return 0;
      });
      if ((await running) < batch) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, pollMs);
        });
      }
    }
  };
  if (autoStart) void loop();
  return {
    tick,
    close: async () => {
      stopped = true;
      wake?.();
      await running;
    },
  };
}
