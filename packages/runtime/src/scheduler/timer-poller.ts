/**
 * Fires durable timers whose delayed BullMQ job did not (Redis lost it, or no worker was up). Timers are
 * leased, not fired, here: the engine marks one fired in the transaction that acts on it, and a lease
 * that lapses (this process died) makes the timer due again.
 */

import type { Trigger } from "@stepwise/asl";
import { leaseDueTimers, type TimerRecord } from "@stepwise/storage";
import { jobId } from "../queues.ts";
import type { Runtime } from "../runtime.ts";

export interface TimerPollerOptions {
  /** Leave timers this long to their own delayed job before stepping in. */
  graceMs: number;
  leaseMs: number;
  batch: number;
}

export async function pollDueTimers(runtime: Runtime, options: TimerPollerOptions): Promise<number> {
  const now = new Date(Date.now() - options.graceMs);
  const due = await leaseDueTimers(runtime.db, now, options.batch, options.leaseMs + options.graceMs);
  if (due.length === 0) return 0;
  await runtime.queues.dispatch(due.map((timer) => timerJob(timer)));
  return due.length;
}

function timerJob(timer: TimerRecord) {
  return {
    kind: "transition" as const,
    // A fresh id per lease: the original delayed job may still be stored as completed or failed.
    jobId: jobId(timer.executionArn, "timer", timer.id, String(timer.fireAt.getTime())),
    data: { executionArn: timer.executionArn, threadId: timer.threadId, trigger: timer.payload as Trigger, timerId: timer.id },
  };
}
