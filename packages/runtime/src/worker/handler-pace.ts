/**
 * How long each handler's runs made their caller wait lately (a run's `waitedMs`: task-worker.ts), so a
 * worker runs inline (engine/inline-tasks.ts) only the handlers likely to answer within the wait: a slow
 * one would hold its transition's lock for the whole wait and then run on anyway. Every run counts, inline, local or queued, so a handler that speeds up
 * becomes inline again.
 */
const WEIGHT = 0.2;

export class HandlerPace {
  private readonly averageMs = new Map<string, number>();

  record(handler: string, durationMs: number): void {
    const average = this.averageMs.get(handler);
    this.averageMs.set(handler, average === undefined ? durationMs : average + WEIGHT * (durationMs - average));
  }

  /** Whether the handler's recent runs took under `limitMs` (one never seen yet counts as quick). */
  quick(handler: string, limitMs: number): boolean {
    return (this.averageMs.get(handler) ?? 0) < limitMs;
  }
}
