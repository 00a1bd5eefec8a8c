/**
 * A task attempt that a worker runs straight after the commit that scheduled it (see
 * worker/local-tasks.ts) has no BullMQ job, so nothing in Redis says it is running. Its lease says so
 * instead: the reconciler re-enqueues an open attempt only when neither its job nor its lease is alive,
 * so a long handler is not run a second time elsewhere. The lease lapses like a job's lock when its
 * worker dies (STEPWISE_JOB_LOCK_MS), and the attempt then goes back on its queue.
 *
 * Leases taken or dropped in one turn of the event loop go to Redis in one pipeline: a round trip per
 * task would cost about what the queue hop it replaces did.
 */
import { Redis } from "ioredis";

export class TaskLeases {
  private readonly redis: Redis;
  private readonly prefix: string;
  /** Leases this process holds. */
  private readonly held = new Set<string>();
  private toTake: string[] = [];
  private toDrop: string[] = [];
  private flushing = false;
  private renewal?: NodeJS.Timeout;

  constructor(
    redisUrl: string,
    prefix: string,
    private readonly ttlMs: number,
    private readonly onError: (error: unknown) => void,
  ) {
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
    // ioredis reconnects by itself; without a listener each failed attempt is printed as unhandled.
    this.redis.on("error", () => {});
    this.prefix = `${prefix}:task-lease:`;
  }

  take(taskId: string): void {
    this.held.add(taskId);
    this.toTake.push(taskId);
    this.schedule();
  }

  drop(taskId: string): void {
    if (!this.held.delete(taskId)) return;
    this.toDrop.push(taskId);
    this.schedule();
  }

  /** Whether some worker holds the attempt's lease (the reconciler asks). */
  async alive(taskId: string): Promise<boolean> {
    return (await this.redis.exists(this.prefix + taskId)) === 1;
  }

  private schedule(): void {
    if (this.flushing) return;
    this.flushing = true;
    setImmediate(() => void this.flush());
    // Handlers that outlive half a lease keep it: every held lease is pushed back, in one pipeline.
    this.renewal ??= setInterval(() => this.renew(), Math.max(100, Math.floor(this.ttlMs / 2))).unref();
  }

  private async flush(): Promise<void> {
    const take = this.toTake.filter((id) => this.held.has(id));
    const drop = this.toDrop;
    this.toTake = [];
    this.toDrop = [];
    this.flushing = false;
    if (take.length === 0 && drop.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const id of take) pipeline.set(this.prefix + id, "1", "PX", this.ttlMs);
    if (drop.length > 0) pipeline.del(...drop.map((id) => this.prefix + id));
    try {
      await pipeline.exec();
    } catch (error) {
      // A lease not written only lets the reconciler put the attempt back early; the engine ignores the second outcome.
      this.onError(error);
    }
  }

  private renew(): void {
    if (this.held.size === 0) {
      clearInterval(this.renewal);
      this.renewal = undefined;
      return;
    }
    const pipeline = this.redis.pipeline();
    for (const id of this.held) pipeline.set(this.prefix + id, "1", "PX", this.ttlMs);
    pipeline.exec().catch(this.onError);
  }

  async close(): Promise<void> {
    clearInterval(this.renewal);
    this.redis.disconnect();
  }
}
