/**
 * Task workers in any language, over HTTP (the REST API's `/v1/tasks/poll`): they take tasks from the same
 * handler queues as the TypeScript SDK's workers, under the same limits, and answer them with the lease
 * each task came with. See docs/task-handlers.md#workers-in-other-languages.
 *
 * At least once, as for SDK workers: a lease is the job's BullMQ lock, which the worker's heartbeats renew;
 * a worker that stops (crashed, cut off) lets it lapse, and the task goes to another worker. The engine
 * applies only the first outcome of an attempt, so a late answer from the first worker changes nothing.
 */
import type { Json, Trigger } from "@stepwise/asl";
import { getTaskToken, InvalidToken, TaskTimedOut, type TaskTokenRecord } from "@stepwise/storage";
import type { Job } from "bullmq";
import { UnstorableText } from "../engine/engine-errors.ts";
import { jobId, type TaskJob } from "../queues.ts";
import type { Runtime } from "../runtime.ts";
import { jsonHoldsNul, textHoldsNul } from "../unstorable-text.ts";
import { OpenTaskCheck } from "../worker/open-task-check.ts";
import { resultTrigger } from "../worker/task-outcome.ts";
import { reportOutcome } from "../worker/task-worker.ts";
import { type FeedWaiter, HandlerFeed, type TakenJob } from "./handler-feed.ts";
import { decodeLease, encodeLease, type TaskLease } from "./lease-token.ts";

/** A task as a poll hands it out: what an SDK handler gets as its input and context. */
export interface PolledTask {
  /** Answers this task: `/v1/tasks/{leaseToken}/complete`, `/fail`, `/heartbeat`. */
  leaseToken: string;
  handler: string;
  input: Json;
  executionArn: string;
  stateName: string;
  /** The attempt's id, stable across redeliveries: an idempotency key. */
  taskId: string;
  resource: string;
  /** Present for `.waitForTaskToken`: hand it to whoever will call SendTaskSuccess/Failure. */
  taskToken?: string;
  /** The lease lapses unless a heartbeat comes within this many seconds. */
  leaseSeconds: number;
}

export interface PollRequest {
  handlers: readonly string[];
  /** How the worker names itself, for logs. */
  workerId: string;
  maxTasks: number;
  waitMs: number;
  /** The worker hung up: stop waiting, take nothing. */
  signal: AbortSignal;
}

export type RemoteOutcome = { output: Json } | { error: string | null; cause: string | null };

/** The lease lapsed and the task may be with another worker now; the engine still takes this worker's outcome first. */
export class TaskLeaseLapsed extends TaskTimedOut {
  constructor() {
    super();
    this.message = "Task Timed Out: its lease lapsed (no heartbeat within leaseSeconds), so it may run elsewhere";
  }
}

/** A poll for more handlers than this, or once this many are being polled in one process, is refused. */
export const MAX_POLLED_HANDLERS = 256;
/** A feed nobody has polled for this long closes (its Redis connections with it). */
const IDLE_FEED_MS = 60_000;

export class TooManyPolledHandlers extends Error {
  override readonly name = "TooManyPolledHandlers";
}

export class RemoteTasks {
  private readonly feeds = new Map<string, { feed: HandlerFeed; idle?: NodeJS.Timeout }>();
  private readonly openTasks: OpenTaskCheck;
  private closed = false;

  constructor(private readonly runtime: Runtime) {
    this.openTasks = new OpenTaskCheck(runtime.db);
  }

  /** Tasks for the given handlers: as soon as one is queued, with any more there are at once, up to maxTasks. */
  async poll(request: PollRequest): Promise<PolledTask[]> {
    const feeds = request.handlers.map((handler) => this.feed(handler));
    const taken: TakenJob[] = [];
    try {
      for (const feed of feeds) await this.takeAvailable(feed, taken, request.maxTasks);
      if (taken.length === 0 && request.waitMs > 0) {
        const first = await this.waitForOne(feeds, request);
        if (first) {
          taken.push(first);
          for (const feed of feeds) await this.takeAvailable(feed, taken, request.maxTasks);
        }
      }
    } catch (err) {
      await Promise.all(taken.map((t) => this.handBack(t)));
      throw err;
    } finally {
      for (const feed of feeds) this.idleLater(feed);
    }
    if (request.signal.aborted) {
      // Nobody is there to run them: the next worker gets them now, not once their locks lapse.
      await Promise.all(taken.map((t) => this.handBack(t)));
      return [];
    }
    this.runtime.logger.debug({ workerId: request.workerId, tasks: taken.length }, "remote worker polled tasks");
    return taken.map((t) => this.describe(t));
  }

  /** The worker's handler succeeded with `output` (or failed, with an error and cause). */
  async complete(leaseToken: string, outcome: RemoteOutcome): Promise<void> {
    if ("output" in outcome ? jsonHoldsNul(outcome.output) : textHoldsNul(outcome.error) || textHoldsNul(outcome.cause)) {
      throw new UnstorableText("The request contains the character U+0000, which cannot be stored");
    }
    const lease = decodeLease(leaseToken);
    const { job, record } = await this.leasedTask(lease);
    if (record.status !== "PENDING") {
      await this.release(lease);
      throw new TaskTimedOut();
    }
    const trigger: Trigger =
      "output" in outcome
        ? resultTrigger(job.task.taskId, outcome.output, job.lambdaInvoke)
        : { type: "taskFailed", taskId: job.task.taskId, error: outcome.error, cause: outcome.cause };
    // Applied even when the lease lapsed meanwhile: the first outcome wins, as for an SDK worker's late run.
    const applied = await reportOutcome(this.runtime, job, { trigger, deferred: job.task.taskToken !== undefined });
    await this.release(lease);
    if (!applied) throw new TaskTimedOut();
  }

  /**
   * Renews the lease, and is the task's SendTaskHeartbeat (for states with HeartbeatSeconds). TaskTimedOut
   * when the task is closed (timed out, stopped, answered) or the lease lapsed: the worker should stop.
   */
  async heartbeat(leaseToken: string): Promise<void> {
    const lease = decodeLease(leaseToken);
    const { record } = await this.leasedTask(lease);
    if (record.status !== "PENDING") {
      await this.release(lease);
      throw new TaskTimedOut();
    }
    const job = await this.runtime.queues.taskQueue(lease.handler).getJob(jobId(lease.taskId));
    const extended = job ? await job.extendLock(lease.lock, this.runtime.config.STEPWISE_JOB_LOCK_MS) : 0;
    if (!extended) throw new TaskLeaseLapsed();
    try {
      await this.runtime.engine.heartbeatTask(lease.taskId);
    } catch (err) {
      if (err instanceof TaskTimedOut) await this.release(lease);
      throw err;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const feeds = [...this.feeds.values()];
    this.feeds.clear();
    for (const entry of feeds) clearTimeout(entry.idle);
    await Promise.all(feeds.map((entry) => entry.feed.close()));
  }

  private feed(handler: string): HandlerFeed {
    if (this.closed) throw new Error("remote tasks are closed");
    const existing = this.feeds.get(handler);
    if (existing) {
      clearTimeout(existing.idle);
      existing.idle = undefined;
      return existing.feed;
    }
    if (this.feeds.size >= MAX_POLLED_HANDLERS) {
      throw new TooManyPolledHandlers(`This API process serves polls for at most ${MAX_POLLED_HANDLERS} handlers at once`);
    }
    const feed = new HandlerFeed(this.runtime, handler, (job) => this.openTasks.isOpen(job.data.task.taskId));
    this.feeds.set(handler, { feed });
    return feed;
  }

  /** Closes a feed once nobody has polled it for a while. */
  private idleLater(feed: HandlerFeed): void {
    const entry = this.feeds.get(feed.handler);
    if (!entry || entry.feed !== feed || this.closed) return;
    clearTimeout(entry.idle);
    entry.idle = setTimeout(() => {
      if (feed.busy) return this.idleLater(feed);
      this.feeds.delete(feed.handler);
      void feed.close();
    }, IDLE_FEED_MS);
    entry.idle.unref();
  }

  private async takeAvailable(feed: HandlerFeed, taken: TakenJob[], maxTasks: number): Promise<void> {
    while (taken.length < maxTasks) {
      const job = await feed.takeNow();
      if (!job) return;
      taken.push(job);
    }
  }

  /** The first job any of the feeds has for this poll, or undefined when the wait ends (or the worker hangs up). */
  private waitForOne(feeds: readonly HandlerFeed[], request: PollRequest): Promise<TakenJob | undefined> {
    return new Promise((resolve) => {
      let settled = false;
      const waiter: FeedWaiter = {
        offer: (taken) => {
          if (settled) return false;
          finish(taken);
          return true;
        },
      };
      const timer = setTimeout(() => finish(undefined), request.waitMs);
      const onAbort = () => finish(undefined);
      request.signal.addEventListener("abort", onAbort, { once: true });
      function finish(taken: TakenJob | undefined) {
        settled = true;
        clearTimeout(timer);
        request.signal.removeEventListener("abort", onAbort);
        for (const feed of feeds) feed.leave(waiter);
        resolve(taken);
      }
      if (request.signal.aborted) return finish(undefined);
      for (const feed of feeds) feed.wait(waiter);
    });
  }

  private describe({ job, lock }: TakenJob): PolledTask {
    const { task, handler, payload, executionArn } = job.data;
    return {
      leaseToken: encodeLease({ handler, taskId: task.taskId, lock }),
      handler,
      input: payload,
      executionArn,
      stateName: task.stateName,
      taskId: task.taskId,
      resource: task.resource,
      ...(task.taskToken ? { taskToken: task.taskToken } : {}),
      leaseSeconds: this.runtime.config.STEPWISE_JOB_LOCK_MS / 1000,
    };
  }

  private async handBack({ job, lock }: TakenJob): Promise<void> {
    const feed = this.feeds.get(job.data.handler)?.feed;
    if (feed) await feed.giveBack({ job, lock });
  }

  /** The attempt a lease names, from Postgres (which says what is true; the job may be gone from Redis). */
  private async leasedTask(lease: TaskLease): Promise<{ job: TaskJob; record: TaskTokenRecord }> {
    const record = await getTaskToken(this.runtime.db, lease.taskId);
    const job = JSON.parse(record.input ?? "{}") as Partial<TaskJob>;
    // A lease names the handler the task was queued for; one that does not was never issued.
    if (job.handler !== lease.handler || !job.task) throw new InvalidToken("Invalid token");
    return { job: job as TaskJob, record };
  }

  /** Ends the lease: the job is done (its slot under the handler's concurrency limit frees). No longer held: nothing to do. */
  private async release(lease: TaskLease): Promise<void> {
    const job: Job<TaskJob> | undefined = await this.runtime.queues.taskQueue(lease.handler).getJob(jobId(lease.taskId));
    if (!job) return;
    await job.moveToCompleted(null, lease.lock, false).catch((err: unknown) => {
      // Another worker holds it now (the lease lapsed), or it is finished already.
      this.runtime.logger.debug({ err, taskId: lease.taskId }, "a remote task's job was not ours to complete");
    });
  }
}
