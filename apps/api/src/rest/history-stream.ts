/**
 * Follows an execution's history as it grows: every event after a cursor, then new ones as they are
 * committed, until the execution has closed and its last event is out. Postgres is the only source
 * of truth for history, so this polls it; nothing else needs to run for a stream to work.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { HistoryEvent } from "@stepwise/asl";
import { ExecutionDoesNotExist, type ExecutionStatus, type Executor, executions, getHistoryPage } from "@stepwise/storage";
import { eq } from "drizzle-orm";

export interface HistorySink {
  event(event: HistoryEvent): Promise<void>;
  /** The execution has closed and every event was sent. */
  end(status: ExecutionStatus): Promise<void>;
  /** Called when a poll found nothing, so the transport can keep idle connections alive. */
  idle(): Promise<void>;
}

export interface HistoryStreamOptions {
  /** Only events with a greater id. */
  after: number;
  pollMs: number;
  /** Most events read per query; a page that leaves events behind is followed at once by the next. */
  batchSize?: number;
  /**
   * Most bytes of stored events read per query: what a stream holds while a slow reader catches up is one
   * such page (and the event being written), never the whole history.
   */
  pageBytes: number;
  signal: AbortSignal;
}

const CLOSED: ReadonlySet<ExecutionStatus> = new Set(["SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"]);

/** Resolves when the execution's history is complete (after `sink.end`) or when `signal` aborts. */
export async function streamHistory(db: Executor, executionArn: string, sink: HistorySink, options: HistoryStreamOptions): Promise<void> {
  const batchSize = options.batchSize ?? 500;
  let cursor = options.after;
  while (!options.signal.aborted) {
    // Status first, events second: the transaction that closes an execution also appends its last
    // events, so when the status read says closed, the events read after it holds all of them.
    const status = await statusOf(db, executionArn);
    const { events, more } = await getHistoryPage(db, executionArn, { afterId: cursor, limit: batchSize, maxBytes: options.pageBytes });
    for (const event of events) {
      if (options.signal.aborted) return;
      await sink.event(event);
      cursor = event.id;
    }
    if (more) continue;
    if (CLOSED.has(status)) {
      await sink.end(status);
      return;
    }
    if (events.length === 0) await sink.idle();
    try {
      await sleep(options.pollMs, undefined, { signal: options.signal });
    } catch {
      return;
    }
  }
}

async function statusOf(db: Executor, executionArn: string): Promise<ExecutionStatus> {
  const [row] = await db.select({ status: executions.status }).from(executions).where(eq(executions.arn, executionArn));
  if (!row) throw new ExecutionDoesNotExist(executionArn);
  return row.status;
}
