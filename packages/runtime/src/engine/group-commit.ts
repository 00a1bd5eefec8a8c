/**
 * Group commit: transitions of different executions requested while others are being written share one
 * Postgres transaction. A transition costs a handful of statements but also a BEGIN, a COMMIT (a WAL
 * flush) and a round trip per statement; sharing them, and the socket writes that carry the members'
 * statements together, is what lets one worker process keep up with its queues.
 *
 * Why it stays exactly-once: each member is the same `run` as alone, under its own execution's row lock,
 * and a batch never holds two members of one execution (they would read the same next event id). If any
 * member fails, the whole transaction rolls back — nothing of any member is written and no job has been
 * sent, since jobs go out after commit — and every member runs again alone, so one bad transition
 * neither takes others down with it nor hides its own error.
 */
import type { Database, Transaction } from "@stepwise/storage";

export interface GroupCommitOptions {
  /** Most transitions in one transaction; 1 turns group commit off. */
  maxBatch: number;
  /** Transactions (and so pool connections) open at once. */
  maxInFlight: number;
}

interface Waiting<Request, Result> {
  key: string;
  request: Request;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

export class GroupCommit<Request, Result> {
  private readonly waiting: Waiting<Request, Result>[] = [];
  private inFlight = 0;

  /**
   * `keyOf` names what one transaction may hold only once (the execution); `run` is one member's work in
   * the shared transaction.
   */
  constructor(
    private readonly db: Database,
    private readonly keyOf: (request: Request) => string,
    private readonly run: (tx: Transaction, request: Request) => Promise<Result>,
    private readonly options: GroupCommitOptions,
  ) {}

  submit(request: Request): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ key: this.keyOf(request), request, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.waiting.length > 0) {
      const batch = this.takeBatch();
      this.inFlight += 1;
      void this.commit(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  /** The oldest waiting requests, at most one per key; the others wait for a later batch, in order. */
  private takeBatch(): Waiting<Request, Result>[] {
    const batch: Waiting<Request, Result>[] = [];
    const keys = new Set<string>();
    for (let i = 0; i < this.waiting.length && batch.length < this.options.maxBatch; ) {
      const entry = this.waiting[i] as Waiting<Request, Result>;
      if (keys.has(entry.key)) {
        i += 1;
        continue;
      }
      keys.add(entry.key);
      batch.push(entry);
      this.waiting.splice(i, 1);
    }
    // Row locks taken in key order in every transaction: two batches never wait on each other in a cycle.
    return batch.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  private async commit(batch: Waiting<Request, Result>[]): Promise<void> {
    if (batch.length > 1) {
      try {
        const results = await this.db.transaction(async (tx) => {
          const settled = await Promise.allSettled(batch.map((entry) => this.run(tx, entry.request)));
          const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
          if (failed) throw failed.reason;
          return settled.map((s) => (s as PromiseFulfilledResult<Result>).value);
        });
        for (const [i, entry] of batch.entries()) entry.resolve(results[i] as Result);
        return;
      } catch {
        // Rolled back as a whole: each member again on its own, below, where its own error (if any) surfaces.
      }
    }
    await Promise.all(
      batch.map((entry) =>
        this.db
          .transaction((tx) => this.run(tx, entry.request))
          .then(
            (result) => entry.resolve(result),
            (error: unknown) => entry.reject(error),
          ),
      ),
    );
  }
}
