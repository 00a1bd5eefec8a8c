import type { HistoryEvent } from "@stepwise/asl";
import { and, asc, desc, eq, gt, lt, sql } from "drizzle-orm";
import type { Executor } from "../connection.ts";
import { DuplicateHistoryEvent } from "../errors.ts";
import { isUniqueViolation } from "../postgres-errors.ts";
import { executions } from "../schema/executions.ts";
import { historyEvents } from "../schema/history-events.ts";

/**
 * Appends events whose ids the caller assigned from `lockExecution`'s `nextEventId`, and moves the
 * execution's `next_event_id` past them, in one statement. An id already taken raises
 * DuplicateHistoryEvent: the primary key, not the caller's care, is what keeps each event exactly-once.
 */
export async function appendEvents(db: Executor, executionArn: string, events: readonly HistoryEvent[]): Promise<void> {
  if (events.length === 0) return;
  const rows = events.map(({ id, previousEventId, timestamp, type, ...details }) => ({
    executionArn,
    id,
    previousEventId,
    type,
    timestamp: new Date(timestamp),
    details,
  }));
  const next = Math.max(...events.map((event) => event.id)) + 1;
  // A data-modifying WITH runs whether or not the UPDATE refers to it.
  const appended = db.$with("appended").as(db.insert(historyEvents).values(rows).returning({ id: historyEvents.id }));
  const query = db
    .with(appended)
    .update(executions)
    .set({ nextEventId: sql`greatest(${executions.nextEventId}, ${next})` })
    .where(eq(executions.arn, executionArn));
  try {
    // Prepared per row count, for the usual handful of events.
    await (rows.length <= MAX_PREPARED_ROWS ? query.prepare(`append_events_${rows.length}`).execute() : query);
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateHistoryEvent(executionArn);
    throw error;
  }
}

const MAX_PREPARED_ROWS = 16;

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
