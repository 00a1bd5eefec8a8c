import type { HistoryEvent } from "@stepwise/asl";
import { and, asc, between, desc, eq, gt, lt } from "drizzle-orm";
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
  return toEvents(await (limit === undefined ? select : select.limit(limit)));
}

export interface HistoryPageQuery extends HistoryQuery {
  limit: number;
  /**
   * Most bytes of stored event details one page may load. The first event is always in the page (else a
   * single large event could never be read), so a page holds at most max(maxBytes, one event).
   */
  maxBytes: number;
}

export interface HistoryPage {
  events: HistoryEvent[];
  /** More events follow the page's last one (in the page's order). */
  more: boolean;
}

/**
 * A page of history bounded by count and by bytes. Only the events that fit are read: the sizes come
 * first from `octet_length`, which for a json column is the stored length and needs no detoasting, so
 * the payloads left out of the page are never loaded, by Postgres or by this process.
 */
export async function getHistoryPage(db: Executor, executionArn: string, query: HistoryPageQuery): Promise<HistoryPage> {
  const { reverse = false, afterId, limit, maxBytes } = query;
  const sized = await runSqlText<{ id: number; fits: boolean }>(
    db,
    `select id, (row_number() over w = 1 or sum(bytes) over w <= $4) as fits
     from (select id, octet_length(details::text) as bytes from history_events
           where execution_arn = $1 and id ${reverse ? "<" : ">"} $2 order by id ${reverse ? "desc" : "asc"} limit $3) s
     window w as (order by id ${reverse ? "desc" : "asc"} rows unbounded preceding)
     order by id ${reverse ? "desc" : "asc"}`,
    [executionArn, afterId ?? (reverse ? 2 ** 31 - 1 : 0), limit + 1, maxBytes],
  );
  const page = sized.slice(0, limit).filter((row) => row.fits);
  const first = page[0];
  const last = page.at(-1);
  if (!first || !last) return { events: [], more: false };
  const rows = await db
    .select()
    .from(historyEvents)
    .where(
      and(
        eq(historyEvents.executionArn, executionArn),
        between(historyEvents.id, Math.min(first.id, last.id), Math.max(first.id, last.id)),
      ),
    )
    .orderBy(reverse ? desc(historyEvents.id) : asc(historyEvents.id));
  return { events: toEvents(rows), more: sized.length > page.length };
}

function toEvents(rows: readonly (typeof historyEvents.$inferSelect)[]): HistoryEvent[] {
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
