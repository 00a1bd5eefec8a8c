/**
 * One handler's queue, as remote workers' polls take from it: a BullMQ worker without a processor that
 * fetches jobs by hand. While polls wait, it blocks on the queue (BullMQ's own blocking fetch, as an SDK
 * worker's does), so a task is handed out the moment it is queued; nothing polls Redis in a loop.
 *
 * Jobs are taken through BullMQ's moveToActive, like an SDK worker's, so the queue's global concurrency
 * and rate limit (STEPWISE_TASK_LIMITS) hold for remote workers too, and each job is locked for
 * STEPWISE_JOB_LOCK_MS. Nothing here renews that lock: the remote worker does, with its heartbeats, so a
 * worker that disappears lets the lock lapse, and the stalled check this feed runs (as every worker of the
 * queue does) puts the job back for another.
 */
import { randomUUID } from "node:crypto";
import { type Job, type Queue, Worker } from "bullmq";
import { type TaskJob, taskQueueName } from "../queues.ts";
import type { Runtime } from "../runtime.ts";
import { jobLock } from "../worker/job-lock.ts";

/** A job taken from the queue, locked with `lock`. */
export interface TakenJob {
  job: Job<TaskJob>;
  lock: string;
}

/** A poll waiting for its first task. `offer` returns false once it wants none (answered, or gone). */
export interface FeedWaiter {
  offer(taken: TakenJob): boolean;
}

/** What a feed asks before handing a job out: a stale one (answered, timed out, stopped) is not. */
export type JobCheck = (job: Job<TaskJob>) => Promise<boolean>;

/** How long one blocking fetch waits at most; the loop goes round again while polls wait. */
const BLOCK_SECONDS = 5;

export class HandlerFeed {
  private readonly worker: Worker<TaskJob>;
  private readonly queue: Queue<TaskJob>;
  private readonly waiters: FeedWaiter[] = [];
  private looping = false;
  private closed = false;
  /** Wakes the loop from a pause (a rate limit, an error) when the feed closes. */
  private wake?: () => void;

  constructor(
    private readonly runtime: Runtime,
    readonly handler: string,
    private readonly isOpen: JobCheck,
  ) {
    this.queue = runtime.queues.taskQueue(handler);
    this.worker = new Worker<TaskJob>(taskQueueName(handler), null, {
      connection: runtime.connection,
      prefix: runtime.config.STEPWISE_QUEUE_PREFIX,
      autorun: false,
      drainDelay: BLOCK_SECONDS,
      ...jobLock(runtime),
    });
    this.worker.on("error", (err) => runtime.logger.warn({ err, handler }, "remote task feed: queue error"));
    // A remote worker that disappeared holds its job until the lock lapses; this puts it back on the queue.
    void this.worker.startStalledCheckTimer();
  }

  /** Polls are waiting (or a fetch is still under way for ones that left). */
  get busy(): boolean {
    return this.looping || this.waiters.length > 0;
  }

  wait(waiter: FeedWaiter): void {
    this.waiters.push(waiter);
    if (!this.looping) void this.loop();
  }

  leave(waiter: FeedWaiter): void {
    const at = this.waiters.indexOf(waiter);
    if (at >= 0) this.waiters.splice(at, 1);
  }

  /** A job that is there now, without waiting; undefined when none is (or the queue is at its limits). */
  async takeNow(): Promise<TakenJob | undefined> {
    for (;;) {
      const lock = randomUUID();
      const job = await this.worker.getNextJob(lock, { block: false });
      if (!job) return undefined;
      if (await this.checked({ job, lock })) return { job, lock };
    }
  }

  /** Hands a job back to the head of its queue, for the next worker. */
  async giveBack({ job, lock }: TakenJob): Promise<void> {
    await job.moveToWait(lock).catch((err: unknown) => this.runtime.logger.warn({ err, jobId: job.id }, "could not hand a task back"));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.waiters.length = 0;
    this.wake?.();
    await this.worker.close();
  }

  private async loop(): Promise<void> {
    this.looping = true;
    try {
      while (this.waiters.length > 0 && !this.closed) {
        const lock = randomUUID();
        let job: Job<TaskJob> | undefined;
        try {
          job = await this.worker.getNextJob(lock, { block: true });
        } catch (err) {
          if (this.closed) return;
          this.runtime.logger.warn({ err, handler: this.handler }, "remote task feed: could not fetch a task");
          await this.pause(1000);
          continue;
        }
        if (!job) {
          // A rate-limited queue answers at once, without blocking: wait out the limit instead of asking again.
          const limitedMs = this.closed ? 0 : await this.queue.getRateLimitTtl().catch(() => 0);
          if (limitedMs > 0) await this.pause(limitedMs);
          continue;
        }
        if (!(await this.checked({ job, lock }))) continue;
        if (!this.deliver({ job, lock })) await this.giveBack({ job, lock });
      }
    } finally {
      this.looping = false;
      // A poll that came while the loop was ending.
      if (this.waiters.length > 0 && !this.closed) void this.loop();
    }
  }

  /** Offers the job to the waiting polls, oldest first. */
  private deliver(taken: TakenJob): boolean {
    while (this.waiters.length > 0) {
      const waiter = this.waiters.shift() as FeedWaiter;
      if (waiter.offer(taken)) return true;
    }
    return false;
  }

  /** Whether the job is one to hand out; a stale one is completed here, as an SDK worker completes it without running. */
  private async checked({ job, lock }: TakenJob): Promise<boolean> {
    let open: boolean;
    try {
      open = await this.isOpen(job);
    } catch (err) {
      this.runtime.logger.warn({ err, jobId: job.id }, "could not check a polled task; it goes back on its queue");
      await this.giveBack({ job, lock });
      return false;
    }
    if (open) return true;
    await job
      .moveToCompleted(null, lock, false)
      .catch((err: unknown) => this.runtime.logger.warn({ err, jobId: job.id }, "could not complete a stale task job"));
    return false;
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
