import type { HistoryEvent } from "@stepwise/asl";
import { and, asc, desc, eq, gt, lt } from "drizzle-orm";
import type { Executor } from "../connection.ts";
import { DuplicateHistoryEvent } from "../errors.ts";
import { isUniqueViolation } from "../postgres-errors.ts";
import { historyEvents } from "../schema/history-events.ts";
import { runSqlText } from "../sql-text.ts";

/**
 * Appends events whose ids the caller assigned from `lockExecution`'s `nextEventId`, and moves the
 * execution's `next_event_id` past them, in one statement. An id already taken raises
 * DuplicateHistoryEvent: the primary key, not the caller's care, is what keeps each event exactly-once.
 */
export async function appendEvents(db: Executor, executionArn: string, events: readonly HistoryEvent[]): Promise<void> {
  if (events.length === 0) return;
  const ids: number[] = [];
  const previous: number[] = [];
  const types: string[] = [];
  const timestamps: string[] = [];
  const details: string[] = [];
  for (const { id, previousEventId, timestamp, type, ...rest } of events) {
    ids.push(id);
    previous.push(previousEventId);
    types.push(type);
    timestamps.push(timestamp);
    details.push(JSON.stringify(rest));
  }
  try {
    await runSqlText(db, APPEND_EVENTS, [executionArn, ids, previous, types, timestamps, details, Math.max(...ids) + 1]);
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateHistoryEvent(executionArn);
    throw error;
  }
}

// One statement whatever the number of events (arrays, not a VALUES list per count). A data-modifying
// WITH runs whether or not the UPDATE refers to it.
const APPEND_EVENTS = `
  with appended as (
    insert into history_events (execution_arn, id, previous_event_id, type, timestamp, details)
    select $1, i, p, t, ts::timestamptz, d::jsonb from unnest($2::int[], $3::int[], $4::text[], $5::text[], $6::text[]) as u(i, p, t, ts, d)
    returning id
  )
  update executions set next_event_id = greatest(next_event_id, $7) where arn = $1`;

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
