import { and, asc, desc, eq, gt, lt, sql } from "drizzle-orm";
import type { HistoryEvent } from "../../../asl/src/history-events.ts";
import type { Executor } from "../connection.ts";
import { DuplicateHistoryEvent } from "../errors.ts";
import { isUniqueViolation } from "../postgres-errors.ts";
import { executions } from "../schema/executions.ts";
import { historyEvents } from "../schema/history-events.ts";

/**
 * Appends events whose ids the caller assigned from `lockExecution`'s `nextEventId`, and moves the
 * execution's `next_event_id` past them. An id already taken raises DuplicateHistoryEvent: the primary key,
 * not the caller's care, is what keeps each event exactly-once.
 */
export async function appendEvents(db: Executor, executionArn: string, events: readonly HistoryEvent[]): Promise<void> {
  if (events.length === 0) return;
  await insertEvents(db, executionArn, events);
  await advanceNextEventId(db, executionArn, Math.max(...events.map((event) => event.id)) + 1);
}

/**
 * `appendEvents` without moving `next_event_id`: for a writer that appends several times under one lock
 * and calls `advanceNextEventId` once before it commits.
 */
export async function insertEvents(db: Executor, executionArn: string, events: readonly HistoryEvent[]): Promise<void> {
  if (events.length === 0) return;
  const rows = events.map(({ id, previousEventId, timestamp, type, ...details }) => ({
    executionArn,
    id,
    previousEventId,
    type,
    timestamp: new Date(timestamp),
    details,
  }));
  try {
    // Prepared per row count: a transition appends a handful of events at a time.
    const insert = db.insert(historyEvents).values(rows);
    await (rows.length <= 8 ? insert.prepare(`insert_events_${rows.length}`).execute() : insert);
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateHistoryEvent(executionArn);
    throw error;
  }
}

/** Moves the execution's `next_event_id` to `nextEventId` (never backwards). */
export async function advanceNextEventId(db: Executor, executionArn: string, nextEventId: number): Promise<void> {
  await db
    .update(executions)
    .set({ nextEventId: sql`greatest(${executions.nextEventId}, ${nextEventId})` })
    .where(eq(executions.arn, executionArn))
    .prepare("advance_next_event_id")
    .execute();
}

export interface HistoryQuery {
  /** Newest first. */
  reverse?: boolean;
  limit?: number;
  /** Only events after this id in the chosen order (below it when `reverse`): the cursor of the previous page. */
  afterId?: number;
}

export async function getHistory(db: Executor, executionArn: string, query: HistoryQuery = {}): Promise<HistoryEvent[]> {
  const { reverse = false, limit, afterId } = query;
  const cursor = afterId === undefined ? undefined : reverse ? lt(historyEvents.id, afterId) : gt(historyEvents.id, afterId);
  const select = db
    .select()
    .from(historyEvents)
    .where(and(eq(historyEvents.executionArn, executionArn), cursor))
    .orderBy(reverse ? desc(historyEvents.id) : asc(historyEvents.id));
  const rows = await (limit === undefined ? select : select.limit(limit));
  return rows.map(
    (row) =>
      ({
        timestamp: row.timestamp.toISOString(),
        type: row.type,
        id: row.id,
        previousEventId: row.previousEventId,
        ...row.details,
      }) satisfies HistoryEvent,
  );
}
