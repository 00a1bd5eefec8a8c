/**
 * Group commit: transitions requested while others are being written share one Postgres transaction.
 * A transition costs a handful of statements but also a BEGIN, a COMMIT (a WAL flush) and a round trip
 * per statement; sharing them, and the socket writes that carry the statements together, is what lets
 * one worker process keep up with its queues. Requests for one execution (a Map's items finishing
 * together) go to one member, which applies them in order under that execution's lock, once.
 *
 * `run` gets the whole transaction's members at once, so it can lock, read and write for all of them in
 * a few statements rather than a few per member (see transition-group.ts).
 *
 * Why it stays exactly-once: each member is the same work as alone, under its own execution's row lock,
 * and an execution has one member per transaction (two would read the same next event id). If any
 * member fails, the whole transaction rolls back — nothing of any member is written and no job has been
 * sent, since jobs go out after commit — and every request runs again alone, so one bad transition
 * neither takes others down with it nor hides its own error.
 */
import type { Database, Transaction } from "@stepwise/storage";

export interface GroupCommitOptions {
  /** Most executions, and most requests for one execution, in one transaction; 1 turns group commit off. */
  maxBatch: number;
  /** Transactions (and so pool connections) open at once. */
  maxInFlight: number;
  /** Told when a shared transaction rolled back and its requests run again alone (logs). */
  onRollback?: (error: unknown) => void;
}

/**
 * Which requests' key goes in a transaction with no other key. A key many processes write at once (a
 * parent told of its children's ends on every worker) holds the whole transaction on its row lock while
 * another process has it: members of other keys sharing that transaction would wait with it.
 */
export type AloneWhen<Request> = (request: Request) => boolean;

interface Waiting<Request, Result> {
  key: string;
  request: Request;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

type Member<Request, Result> = Waiting<Request, Result>[];

export class GroupCommit<Request, Result> {
  private readonly waiting: Waiting<Request, Result>[] = [];
  private inFlight = 0;
  /**
   * Keys in a transaction under way. Their new requests wait for it rather than go in another
   * transaction, which would only wait for the same row lock (holding a connection, and every other
   * member of its transaction, meanwhile) and then commit alone: a parent whose Map children end by the
   * thousand had every transaction queue behind its lock, one child's end at a time. Waiting, they go
   * together in the next one.
   */
  private readonly busy = new Set<string>();

  /**
   * `keyOf` names what one transaction holds as one member (the execution); `run` is one transaction's
   * work: its members in key order, each member's requests in the order they were submitted, with a
   * result for each request.
   */
  constructor(
    private readonly db: Database,
    private readonly keyOf: (request: Request) => string,
    private readonly run: (tx: Transaction, members: Request[][]) => Promise<Result[][]>,
    private readonly options: GroupCommitOptions,
    private readonly alone: AloneWhen<Request> = () => false,
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
      if (batch.length === 0) return;
      const keys = batch.map((member) => (member[0] as Waiting<Request, Result>).key);
      for (const key of keys) this.busy.add(key);
      this.inFlight += 1;
      void this.commit(batch).finally(() => {
        for (const key of keys) this.busy.delete(key);
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  /** The oldest waiting requests of keys not in flight, grouped by key, each group in submission order. */
  private takeBatch(): Member<Request, Result>[] {
    const members = new Map<string, Member<Request, Result>>();
    const { maxBatch } = this.options;
    const left: Waiting<Request, Result>[] = [];
    // The first waiting request decides whether this transaction is one key's alone.
    const first = this.waiting.find((entry) => !this.busy.has(entry.key));
    const soleKey = first && this.alone(first.request) ? first.key : undefined;
    for (const entry of this.waiting) {
      const member = members.get(entry.key);
      if (this.busy.has(entry.key)) left.push(entry);
      else if (soleKey !== undefined ? entry.key !== soleKey : this.alone(entry.request) && !member) left.push(entry);
      else if (member ? member.length < maxBatch : members.size < maxBatch) {
        if (member) member.push(entry);
        else members.set(entry.key, [entry]);
      } else left.push(entry);
    }
    this.waiting.splice(0, this.waiting.length, ...left);
    // In key order: the order locks are taken in, whatever the caller does with it.
    return [...members.values()].sort((a, b) => ((a[0] as Waiting<Request, Result>).key < (b[0] as Waiting<Request, Result>).key ? -1 : 1));
  }

  private async commit(batch: Member<Request, Result>[]): Promise<void> {
    const shared = batch.length > 1 || (batch[0]?.length ?? 0) > 1;
    if (shared) {
      try {
        const results = await this.db.transaction((tx) =>
          this.run(
            tx,
            batch.map((member) => member.map((entry) => entry.request)),
          ),
        );
        for (const [m, member] of batch.entries()) for (const [i, entry] of member.entries()) entry.resolve(results[m]?.[i] as Result);
        return;
      } catch (error) {
        // Rolled back as a whole: each request again on its own, below, where its own error (if any) surfaces.
        this.options.onRollback?.(error);
      }
    }
    // Alone, requests of one execution still go in order; different executions side by side.
    await Promise.all(
      batch.map(async (member) => {
        for (const entry of member) {
          await this.db
            .transaction((tx) => this.run(tx, [[entry.request]]))
            .then(
              (results) => entry.resolve(results[0]?.[0] as Result),
              (error: unknown) => entry.reject(error),
            );
        }
      }),
    );
  }
}
