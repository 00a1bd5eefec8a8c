import type { HistoryEvent } from "@stepwise/asl";
import { and, asc, desc, eq, gt, lt } from "drizzle-orm";
import type { Executor } from "../connection.ts";
import { historyEvents } from "../schema/history-events.ts";
import { runSqlText } from "../sql-text.ts";
import { writeExecutionRows } from "./execution-rows.ts";

/** Appends events whose ids the caller assigned from `lockExecution`'s `nextEventId` (see execution-rows.ts). */
export async function appendEvents(db: Executor, executionArn: string, events: readonly HistoryEvent[]): Promise<void> {
  await writeExecutionRows(db, [{ executionArn, events }]);
}

/** How many events an execution's history holds (its last id): one index probe. */
export async function historyLength(db: Executor, executionArn: string): Promise<number> {
  const [row] = await runSqlText<{ length: number }>(
    db,
    "select coalesce(max(id), 0) as length from history_events where execution_arn = $1",
    [executionArn],
  );
  return row?.length ?? 0;
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
