import { randomUUID } from "node:crypto";
import type { Json } from "@stepwise/asl";
import { and, asc, eq, inArray, lte } from "drizzle-orm";
import type { Executor } from "../connection.ts";
import { type TimerKind, timers } from "../schema/timers.ts";
import { runSqlText } from "../sql-text.ts";

export type TimerRecord = typeof timers.$inferSelect;

export interface NewTimer {
  /** Give a deterministic id to make scheduling idempotent; a random one otherwise. */
  id?: string;
  executionArn: string;
  threadId: string;
  kind: TimerKind;
  fireAt: Date;
  payload?: Json;
}

/** Returns the timer's id; scheduling an id that exists already changes nothing. */
export async function scheduleTimer(db: Executor, timer: NewTimer): Promise<string> {
  const id = timer.id ?? randomUUID();
  await db
    .insert(timers)
    .values({ ...timer, id, payload: timer.payload ?? null })
    .onConflictDoNothing()
    .prepare("schedule_timer")
    .execute();
  return id;
}

/** Drops an unfired timer; false if it had fired or never existed. */
export async function cancelTimer(db: Executor, id: string): Promise<boolean> {
  const rows = await db
    .delete(timers)
    .where(and(eq(timers.id, id), eq(timers.fired, false)))
    .returning({ id: timers.id });
  return rows.length > 0;
}

/** Drops the unfired timers of an execution, or of one of its threads, optionally of one kind only. */
export async function cancelTimers(
  db: Executor,
  executionArn: string,
  filter: { threadId?: string; kind?: TimerKind } = {},
): Promise<number> {
  const rows = await db
    .delete(timers)
    .where(
      and(
        eq(timers.executionArn, executionArn),
        eq(timers.fired, false),
        filter.threadId === undefined ? undefined : eq(timers.threadId, filter.threadId),
        filter.kind === undefined ? undefined : eq(timers.kind, filter.kind),
      ),
    )
    .returning({ id: timers.id });
  return rows.length;
}

/**
 * Hands out due timers under a lease instead of firing them: each is pushed `leaseMs` into the future,
 * so if whoever took it dies before acting, it comes due again. The one that acts marks it fired
 * (`markTimersFired`) in the same transaction as its effect.
 */
export async function leaseDueTimers(db: Executor, now: Date, limit: number, leaseMs: number): Promise<TimerRecord[]> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(timers)
      .where(and(eq(timers.fired, false), lte(timers.fireAt, now)))
      .orderBy(asc(timers.fireAt))
      .limit(limit)
      .for("update", { skipLocked: true });
    if (due.length > 0) {
      await tx
        .update(timers)
        .set({ fireAt: new Date(now.getTime() + leaseMs) })
        .where(
          inArray(
            timers.id,
            due.map((timer) => timer.id),
          ),
        );
    }
    // As they were due: oldest first, with their own fire time.
    return due;
  });
}

/** Marks due timers fired, in one statement for a group commit's members; returns those marked now (each fires once). */
export async function markTimersFired(db: Executor, ids: readonly string[], now: Date): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await runSqlText<{ id: string }>(db, MARK_TIMERS_FIRED, [ids, now.toISOString()]);
  return new Set(rows.map((row) => row.id));
}

const MARK_TIMERS_FIRED =
  "update timers set fired = true, fired_at = $2::timestamptz where id = any($1::text[]) and not fired returning id";
