/**
 * Statements of a transition whose results nothing reads (events, threads, timers, task tokens) are sent
 * without waiting for the one before: postgres.js pipelines them on the transaction's connection, so
 * they cost no round trip each. Postgres runs a connection's statements in order, so whatever the
 * transition reads afterwards sees them; the transition waits for all of them before it commits.
 */
export class DeferredWrites {
  private readonly pending: Promise<unknown>[] = [];

  add(write: Promise<unknown>): void {
    // Observed by settle() or firstError(); this only keeps a failure from counting as unhandled meanwhile.
    write.catch(() => {});
    this.pending.push(write);
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
