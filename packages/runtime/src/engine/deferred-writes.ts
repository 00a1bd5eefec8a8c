/**
 * Statements of a transition whose results nothing reads (events, threads, timers, task tokens) are sent
 * without waiting for the one before: postgres.js pipelines them on the transaction's connection, so
 * they cost no round trip each. Postgres runs a connection's statements in order, so whatever the
 * transition reads afterwards sees them; the transaction waits for all of them before it commits.
 *
 * Thread positions, events and task tokens are held further, for every execution of the transaction,
 * and go out together as one statement (see writeExecutionRows) at `flush`: once the group's members
 * are done, and before any statement that reads or changes threads or tokens, so that statement sees
 * them. Children's results are held too, and go out as one statement when the first parent step waits
 * on one (a Map's items finishing together), or at `flush`.
 */
import type { HistoryEvent } from "@stepwise/asl";
import {
  type ClosedExecution,
  closeExecutions,
  createChildExecutions,
  type ExecutionOutcome,
  type ExecutionRows,
  type Executor,
  type NewChildExecution,
  type NewChildResult,
  recordChildResults,
  type ThreadRow,
  type TokenRow,
  writeExecutionRows,
} from "@stepwise/storage";

interface Held {
  /** The last position of each thread: only that one needs writing. */
  threads: Map<string, ThreadRow>;
  events: HistoryEvent[];
  tokens: TokenRow[];
}

interface HeldClose {
  arn: string;
  outcome: ExecutionOutcome;
  /** What follows in the transaction once the execution is closed (signals to send, a slot to free). */
  afterClose(closed: ClosedExecution): Promise<void>;
}

interface HeldChildResult {
  row: NewChildResult;
  recorded: { resolve(recorded: boolean): void; reject(error: unknown): void };
}

export class DeferredWrites {
  private readonly pending: Promise<unknown>[] = [];
  private held = new Map<string, Held>();
  private childResults: HeldChildResult[] = [];
  private childExecutions: NewChildExecution[] = [];
  private closes: HeldClose[] = [];

  add(write: Promise<unknown>): void {
    // Observed by settle() or firstError(); this only keeps a failure from counting as unhandled meanwhile.
    write.catch(() => {});
    this.pending.push(write);
  }

  holdThread(executionArn: string, row: ThreadRow): void {
    this.of(executionArn).threads.set(row.threadId, row);
  }

  holdEvents(executionArn: string, events: readonly HistoryEvent[]): void {
    if (events.length > 0) this.of(executionArn).events.push(...events);
  }

  holdToken(executionArn: string, row: TokenRow): void {
    this.of(executionArn).tokens.push(row);
  }

  /**
   * A finished child's result, recorded with the others held when `sendChildResults` (or `flush`) runs;
   * resolves to whether this transaction recorded it (false: a replay, already there).
   */
  holdChildResult(row: NewChildResult): Promise<boolean> {
    const recorded = new Promise<boolean>((resolve, reject) => {
      this.childResults.push({ row, recorded: { resolve, reject } });
    });
    // The statement's failure reaches the transaction through settle(); a result nobody waited for
    // (the execution ended first) must not count as unhandled.
    recorded.catch(() => {});
    return recorded;
  }

  /** Sends the held child results as one statement (before anything waits on one of them). */
  sendChildResults(tx: Executor): void {
    if (this.childResults.length === 0) return;
    const held = this.childResults;
    this.childResults = [];
    const write = recordChildResults(
      tx,
      held.map((h) => h.row),
    ).then(
      (recorded) => {
        for (const [i, h] of held.entries()) h.recorded.resolve(recorded[i] === true);
      },
      (error: unknown) => {
        for (const h of held) h.recorded.reject(error);
        throw error;
      },
    );
    this.add(write);
  }

  /** A distributed Map's child workflow execution to create, with the others held, at `flush`. */
  holdChildExecution(row: NewChildExecution): void {
    this.childExecutions.push(row);
  }

  /** Sends what is held, of every execution, as one statement (settle() waits for it). */
  flush(tx: Executor): void {
    this.sendChildResults(tx);
    if (this.childExecutions.length > 0) {
      this.add(createChildExecutions(tx, this.childExecutions));
      this.childExecutions = [];
    }
    if (this.held.size === 0) return;
    const batch: ExecutionRows[] = [...this.held].map(([executionArn, held]) => ({
      executionArn,
      threads: [...held.threads.values()],
      events: held.events,
      tokens: held.tokens,
    }));
    this.held = new Map();
    this.add(writeExecutionRows(tx, batch));
  }

  /**
   * An execution ended: closed (its row, timers, threads and tokens) at `close`, with the group's other
   * executions that ended, after every row held for it is written.
   */
  holdClose(close: HeldClose): void {
    this.closes.push(close);
  }

  /** Writes what is held, then closes the executions that ended, in one statement, and runs what follows each. */
  async close(tx: Executor): Promise<void> {
    this.flush(tx);
    if (this.closes.length === 0) return;
    const closes = this.closes;
    this.closes = [];
    let closed: ClosedExecution[];
    try {
      closed = await closeExecutions(tx, closes);
    } catch (error) {
      // A held write failed first: the close failed only because the transaction was already aborted.
      throw (await this.firstError()) ?? error;
    }
    for (const [i, close] of closes.entries()) await close.afterClose(closed[i] as ClosedExecution);
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

  private of(executionArn: string): Held {
    let held = this.held.get(executionArn);
    if (!held) {
      held = { threads: new Map(), events: [], tokens: [] };
      this.held.set(executionArn, held);
    }
    return held;
  }
}
