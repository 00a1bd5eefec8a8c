/**
 * Statements of a transition whose results nothing reads (events, threads, timers, task tokens) are sent
 * without waiting for the one before: postgres.js pipelines them on the transaction's connection, so
 * they cost no round trip each. Postgres runs a connection's statements in order, so whatever the
 * transition reads afterwards sees them; the transition waits for all of them before it commits.
 *
 * Thread positions, events and task tokens are held further, and go out together as one statement
 * (see writeExecutionRows) at `flush`: at the end of the transition, and before any statement that
 * reads or changes threads or tokens, so that statement sees them.
 */
import type { HistoryEvent } from "@stepwise/asl";
import { type Executor, type ThreadRow, type TokenRow, writeExecutionRows } from "@stepwise/storage";

export class DeferredWrites {
  private readonly pending: Promise<unknown>[] = [];
  /** The last position of each thread: only that one needs writing. */
  private threads = new Map<string, ThreadRow>();
  private events: HistoryEvent[] = [];
  private tokens: TokenRow[] = [];

  add(write: Promise<unknown>): void {
    // Observed by settle() or firstError(); this only keeps a failure from counting as unhandled meanwhile.
    write.catch(() => {});
    this.pending.push(write);
  }

  holdThread(row: ThreadRow): void {
    this.threads.set(row.threadId, row);
  }

  holdEvents(events: readonly HistoryEvent[]): void {
    this.events.push(...events);
  }

  holdToken(row: TokenRow): void {
    this.tokens.push(row);
  }

  /** Sends what is held as one statement; resolves once it is written. */
  flush(tx: Executor, executionArn: string): Promise<unknown> {
    if (this.threads.size === 0 && this.events.length === 0 && this.tokens.length === 0) return Promise.resolve();
    const write = writeExecutionRows(tx, { executionArn, threads: [...this.threads.values()], events: this.events, tokens: this.tokens });
    this.threads = new Map();
    this.events = [];
    this.tokens = [];
    this.add(write);
    return write;
  }

  /** Waits for every write; throws the error of the first that failed. */
  async settle(): Promise<void> {
    for (const write of this.pending) await write;
  }

  /**
   * After a statement of the transaction failed: the error of the first deferred write that failed, if
   * any. Everything sent after it failed only because the transaction was already aborted.
   */
  async firstError(): Promise<unknown> {
    for (const write of this.pending) {
      try {
        await write;
      } catch (error) {
        return error;
      }
    }
    return undefined;
  }
}
