/**
 * The schedule runner, started by every scheduler process: each round leases the due schedules (Postgres
 * row locks with SKIP LOCKED, then a lease), fires each, and goes again while there was work, so several
 * processes share the schedules and one that dies hands its leases on when they lapse.
 */
import type { Runtime } from "@stepwise/runtime";
import { leaseDueSchedules } from "@stepwise/storage";
import { startRoundLoop } from "../round-loop.ts";
import { fireSchedule } from "./fire-schedule.ts";
import type { ScheduleObserver } from "./schedule-metrics.ts";

export interface ScheduleRunnerOptions {
  /** The clock due times are compared with (tests drive it). */
  now?: () => Date;
  /** How long a process may hold a due schedule before another takes it over. */
  leaseMs?: number;
  batch?: number;
  pollMs?: number;
  observer: ScheduleObserver;
}

export interface ScheduleRunner {
  /** One round: fires what is due now; returns how many schedules it handled. */
  tick(): Promise<number>;
  close(): Promise<void>;
}

export function startScheduleRunner(runtime: Runtime, options: ScheduleRunnerOptions, autoStart = true): ScheduleRunner {
  const now = options.now ?? (() => new Date());
  const leaseMs = options.leaseMs ?? 30_000;
  const batch = options.batch ?? 100;
  const pollMs = options.pollMs ?? runtime.config.STEPWISE_SCHEDULER_POLL_MS;

  const tick = async () => {
    const at = now();
    const due = await leaseDueSchedules(runtime.db, at, batch, leaseMs);
    await Promise.all(due.map((schedule) => fireSchedule(runtime, schedule, at, options.observer)));
    return due.length;
  };
  const loop = autoStart ? startRoundLoop(runtime, tick, { batch, pollMs, what: "schedule" }) : undefined;
  return { tick, close: async () => loop?.close() };
}
