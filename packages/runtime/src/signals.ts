/**
 * Stop signals for running task handlers (StopExecution, a timeout, a failed sibling branch), sent over
 * Redis pub/sub: best effort by nature, since the engine already ignores whatever a stopped handler
 * reports afterwards.
 */
import { Redis } from "ioredis";

const MAX_IDS_PER_MESSAGE = 1000;

export class TaskSignals {
  private readonly publisher: Redis;
  private subscriber?: Redis;
  private readonly channel: string;
  private readonly listeners = new Map<string, AbortController>();
  /** Signals of this turn of the event loop, and the publish that will carry them. */
  private outgoing?: { ids: string[]; sent: Promise<void> };

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

  /**
   * Signals the handlers of these tasks (or the Express job of an execution ARN), wherever they run.
   * Signals asked for in one turn of the event loop go in one message: every execution that ends sends
   * one (its ARN), and a publish each was a Redis round trip per execution.
   */
  abort(taskIds: readonly string[]): Promise<void> {
    if (taskIds.length === 0) return Promise.resolve();
    if (!this.outgoing) {
      const outgoing = { ids: [] as string[], sent: undefined as unknown as Promise<void> };
      outgoing.sent = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
        this.outgoing = undefined;
        // A stopped 100,000-item Map cancels as many tasks: messages of a bounded size, not one of megabytes.
        for (let i = 0; i < outgoing.ids.length; i += MAX_IDS_PER_MESSAGE) {
          await this.publisher.publish(this.channel, JSON.stringify(outgoing.ids.slice(i, i + MAX_IDS_PER_MESSAGE)));
        }
      });
      this.outgoing = outgoing;
    }
    // Not push(...taskIds): a spread of that many arguments overflows the stack.
    for (const id of taskIds) this.outgoing.ids.push(id);
    return this.outgoing.sent;
  }

  /** The signal of a handler run; `release` when the handler is done. */
  async watch(taskId: string): Promise<{ signal: AbortSignal; release: () => void }> {
    const controller = new AbortController();
    return { signal: controller.signal, release: await this.attach(taskId, controller) };
  }

  /** Aborts `controller` on the task's signal from now on (a run begun before its task was committed); returns the release. */
  async attach(taskId: string, controller: AbortController): Promise<() => void> {
    await this.subscribe();
    this.listeners.set(taskId, controller);
    return () => {
      if (this.listeners.get(taskId) === controller) this.listeners.delete(taskId);
    };
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
