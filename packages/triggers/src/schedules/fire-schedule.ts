/**
 * One leased schedule at one due time: skip what is too old, wait out a flexible window, start the due
 * time's execution, then move the schedule on (or delete it, ActionAfterCompletion DELETE).
 *
 * Exactly one execution per due time: the execution's name is the schedule's and the due time's, so a
 * second attempt (this process after an error, or another after this one died holding the lease) finds
 * the execution started already; the schedule moves on only from the due time that was leased.
 */
import { createHash } from "node:crypto";
import type { Runtime } from "@stepwise/runtime";
import { advanceSchedule, deleteCompletedSchedule, type ScheduleRecord } from "@stepwise/storage";
import { DueTimes } from "../expressions/due-times.ts";
import { scheduledExecutionName } from "./execution-name.ts";
import type { ScheduleObserver } from "./schedule-metrics.ts";
import { startCall } from "./target.ts";

/** AWS's defaults for a target's RetryPolicy. */
export const DEFAULT_MAXIMUM_EVENT_AGE_SECONDS = 86_400;
export const DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 185;
/** Counting skipped due times stops here (a year of a one-minute rate); the schedule still jumps ahead. */
const SKIP_COUNT_LIMIT = 600_000;

/** Errors a new attempt would meet again: the due time is missed at once. */
const PERMANENT = new Set(["StateMachineDoesNotExist", "InvalidExecutionInput", "InvalidName", "ValidationException", "UnstorableText"]);

export type FireOutcome = "fired" | "waiting" | "advanced" | "retrying" | "missed" | "completed" | "lost";

export async function fireSchedule(
  runtime: Runtime,
  schedule: ScheduleRecord,
  now: Date,
  observer: ScheduleObserver,
): Promise<FireOutcome> {
  const leased = schedule.nextDueAt as Date;
  const times = new DueTimes(schedule);
  const policy = schedule.target.RetryPolicy ?? {};
  const maxAgeMs = (policy.MaximumEventAgeInSeconds ?? DEFAULT_MAXIMUM_EVENT_AGE_SECONDS) * 1000;
  const oldest = new Date(now.getTime() - maxAgeMs);

  let due: Date | undefined = leased;
  if (due < oldest) {
    let skipped = 0;
    while (due && due < oldest && skipped < SKIP_COUNT_LIMIT) {
      skipped++;
      due = times.after(due);
    }
    if (due && due < oldest) due = times.atOrAfter(oldest);
    observer.skipped(schedule.groupName, skipped);
  }
  if (!due) return complete(runtime, schedule, leased);
  const fireAt = new Date(due.getTime() + flexibleDelayMs(schedule, due));
  if (fireAt > now) {
    // Not yet: the schedule waits at this due time (moved there if older ones were skipped).
    const moved = await advanceSchedule(runtime.db, schedule.arn, { from: leased, nextDueAt: due, leaseUntil: fireAt });
    return moved ? "waiting" : "lost";
  }

  const name = scheduledExecutionName(schedule, due);
  try {
    const call = startCall(schedule.target, {
      scheduleArn: schedule.arn,
      scheduledTime: due,
      executionId: name,
      attemptNumber: schedule.attempts + 1,
    });
    const started = await runtime.engine.start({ stateMachineArn: call.stateMachineArn, name, input: call.input });
    if (started.created) observer.fired(schedule.groupName);
  } catch (error) {
    const code = (error as Error).name;
    // Its execution exists already and has ended: this due time fired before.
    if (code !== "ExecutionAlreadyExists") {
      const attempts = schedule.attempts + 1;
      const maxAttempts = policy.MaximumRetryAttempts ?? DEFAULT_MAXIMUM_RETRY_ATTEMPTS;
      const backoff = new Date(now.getTime() + Math.min(60_000, 1000 * 2 ** Math.min(attempts, 6)));
      if (!PERMANENT.has(code) && attempts <= maxAttempts && backoff.getTime() - due.getTime() < maxAgeMs) {
        runtime.logger.warn({ err: error, schedule: schedule.arn, due }, "a schedule could not start its execution; it will try again");
        const kept = await advanceSchedule(runtime.db, schedule.arn, { from: leased, nextDueAt: due, attempts, leaseUntil: backoff });
        return kept ? "retrying" : "lost";
      }
      runtime.logger.error({ err: error, schedule: schedule.arn, due }, "a schedule missed a due time: its execution could not be started");
      observer.missed(schedule.groupName);
    }
  }
  const next = times.after(due);
  if (!next) return complete(runtime, schedule, leased);
  return (await advanceSchedule(runtime.db, schedule.arn, { from: leased, nextDueAt: next })) ? "advanced" : "lost";
}

/** No due time left: ActionAfterCompletion DELETE removes the schedule; NONE keeps it, with none due. */
async function complete(runtime: Runtime, schedule: ScheduleRecord, leased: Date): Promise<FireOutcome> {
  const done =
    schedule.actionAfterCompletion === "DELETE"
      ? await deleteCompletedSchedule(runtime.db, schedule.arn, leased)
      : await advanceSchedule(runtime.db, schedule.arn, { from: leased, nextDueAt: null });
  return done ? "completed" : "lost";
}

/**
 * FLEXIBLE windows: AWS invokes somewhere within MaximumWindowInMinutes after the due time. Stepwise picks
 * the moment from the schedule and the due time, so every process agrees on it.
 */
function flexibleDelayMs(schedule: ScheduleRecord, due: Date): number {
  const window = schedule.flexibleTimeWindow;
  if (window.Mode !== "FLEXIBLE" || !window.MaximumWindowInMinutes) return 0;
  const hash = createHash("sha256").update(`${schedule.generation}/${due.toISOString()}`).digest().readUInt32BE(0);
  return (hash / 2 ** 32) * window.MaximumWindowInMinutes * 60_000;
}
