/**
 * Stop signals for running task handlers (StopExecution, a timeout, a failed sibling branch), sent over
 * Redis pub/sub: best effort by nature, since the engine already ignores whatever a stopped handler
 * reports afterwards.
 */
import { Redis } from "ioredis";

export class TaskSignals {
  private readonly publisher: Redis;
  private subscriber?: Redis;
  private readonly channel: string;
  private readonly listeners = new Map<string, AbortController>();

  constructor(
    private readonly redisUrl: string,
    prefix: string,
  ) {
    this.publisher = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
    // ioredis reconnects by itself; without a listener each failed attempt is printed as unhandled.
    this.publisher.on("error", () => {});
    this.channel = `${prefix}:task-aborts`;
  }

  /** Redis answers (readiness). */
  async ping(): Promise<string> {
    return this.publisher.ping();
  }

  async abort(taskIds: readonly string[]): Promise<void> {
    if (taskIds.length === 0) return;
    await this.publisher.publish(this.channel, JSON.stringify(taskIds));
  }

  /** The signal of a handler run; `release` when the handler is done. */
  async watch(taskId: string): Promise<{ signal: AbortSignal; release: () => void }> {
    await this.subscribe();
    const controller = new AbortController();
    this.listeners.set(taskId, controller);
    return { signal: controller.signal, release: () => this.listeners.delete(taskId) };
  }

  /** Aborts a handler of this process directly (its own timeout). */
  abortLocal(taskId: string, reason: string): void {
    this.listeners.get(taskId)?.abort(new Error(reason));
  }

  private async subscribe(): Promise<void> {
    if (this.subscriber) return;
    this.subscriber = new Redis(this.redisUrl, { maxRetriesPerRequest: null });
    this.subscriber.on("error", () => {});
    this.subscriber.on("message", (_channel, message: string) => {
      for (const id of JSON.parse(message) as string[]) this.abortLocal(id, "The task was stopped");
    });
    await this.subscriber.subscribe(this.channel);
  }

  async close(): Promise<void> {
    this.publisher.disconnect();
    this.subscriber?.disconnect();
  }
}
