/**
 * The BullMQ side of the runtime: queue names, job shapes, and the one place jobs are added. Redis only
 * carries hints of work to do; Postgres says what is true, so a lost job is found again by the
 * reconciler and a repeated one is ignored by the engine.
 */

import type { Json, TaskRequest, Trigger } from "@stepwise/asl";
import { type ConnectionOptions, Queue } from "bullmq";
import type { JobTrace } from "./tracing/job-trace.ts";

export const TRANSITIONS_QUEUE = "transitions";
export const EXPRESS_QUEUE = "express";
export const taskQueueName = (handler: string) => `task-${handler}`;

export interface TransitionJob {
  executionArn: string;
  threadId: string;
  trigger: Trigger;
  /** Set when a durable timer fires: it is marked fired in the same transaction, once. */
  timerId?: string;
  /** Sent by a traced transition (see tracing/job-trace.ts). */
  trace?: JobTrace;
}

export interface TaskJob {
  executionArn: string;
  threadId: string;
  handler: string;
  /** What the handler receives (for lambda:invoke, the `Payload` parameter). */
  payload: Json;
  /** Wrap the handler's result as lambda:invoke's response envelope. */
  lambdaInvoke: boolean;
  task: TaskRequest;
  /** Scheduled by a traced transition (see tracing/job-trace.ts). */
  trace?: JobTrace;
}

export interface ExpressJob {
  executionArn: string;
}

export interface QueueOptions {
  connection: ConnectionOptions;
  prefix: string;
}

export type OutboxJob =
  | {
      kind: "transition";
      jobId: string;
      data: TransitionJob;
      delayMs?: number;
      /**
       * Applied by the process that committed it, once committed, rather than sent through Redis: a child
       * execution's end to its parent, which costs a job per item otherwise. If that process dies first,
       * the reconciler finds the end untold and sends it.
       */
      local?: boolean;
    }
  | { kind: "task"; jobId: string; data: TaskJob }
  | { kind: "express"; jobId: string; data: ExpressJob };

/** BullMQ job ids may not contain ':' (it separates Redis key parts). */
export function jobId(...parts: string[]): string {
  return parts.join("|").replaceAll(":", "_");
}

export class Queues {
  readonly transitions: Queue<TransitionJob>;
  readonly express: Queue<ExpressJob>;
  private readonly taskQueues = new Map<string, Queue<TaskJob>>();
  /** Jobs dispatched in this turn of the event loop, and the send that will carry them. */
  private pending?: { jobs: OutboxJob[]; sent: Promise<void> };

  constructor(private readonly options: QueueOptions) {
    this.transitions = new Queue<TransitionJob>(TRANSITIONS_QUEUE, { ...options, defaultJobOptions: JOB_DEFAULTS });
    this.express = new Queue<ExpressJob>(EXPRESS_QUEUE, { ...options, defaultJobOptions: { ...JOB_DEFAULTS, attempts: 1 } });
  }

  taskQueue(handler: string): Queue<TaskJob> {
    let queue = this.taskQueues.get(handler);
    if (!queue) {
      queue = new Queue<TaskJob>(taskQueueName(handler), { ...this.options, defaultJobOptions: JOB_DEFAULTS });
      this.taskQueues.set(handler, queue);
    }
    return queue;
  }

  /** The transitions and Express queues and every task queue this process has used (metrics report their depth). */
  all(): Queue[] {
    return [this.transitions, this.express, ...this.taskQueues.values()];
  }

  /**
   * Adds jobs after the transaction that decided them has committed. Jobs dispatched in the same turn of
   * the event loop (a group commit's members all finish at once) go to Redis together, one pipelined
   * addBulk per queue: a Redis command's round trip costs a socket write and a wake-up of both
   * processes, more than the command itself.
   */
  dispatch(jobs: readonly OutboxJob[]): Promise<void> {
    if (jobs.length === 0) return Promise.resolve();
    if (!this.pending) {
      const pending = { jobs: [] as OutboxJob[], sent: undefined as unknown as Promise<void> };
      pending.sent = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        this.pending = undefined;
        return this.send(pending.jobs);
      });
      this.pending = pending;
    }
    this.pending.jobs.push(...jobs);
    return this.pending.sent;
  }

  private async send(jobs: readonly OutboxJob[]): Promise<void> {
    const byQueue = new Map<Queue, { name: string; data: never; opts: { jobId: string; delay?: number } }[]>();
    for (const job of jobs) {
      const [queue, name] = this.destination(job);
      const opts = { jobId: job.jobId, ...(job.kind === "transition" && job.delayMs ? { delay: job.delayMs } : {}) };
      const list = byQueue.get(queue) ?? [];
      list.push({ name, data: job.data as never, opts });
      byQueue.set(queue, list);
    }
    await Promise.all([...byQueue].map(([queue, list]) => queue.addBulk(list)));
  }

  /** The queue a job goes to, and the job's name there. */
  private destination(job: OutboxJob): [Queue, string] {
    switch (job.kind) {
      case "transition":
        return [this.transitions, job.data.trigger.type];
      case "express":
        return [this.express, "express"];
      case "task":
        return [this.taskQueue(job.data.handler), job.data.task.stateName];
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.transitions.close(), this.express.close(), ...[...this.taskQueues.values()].map((q) => q.close())]);
  }
}

const JOB_DEFAULTS = {
  removeOnComplete: { count: 1000 },
  removeOnFail: { count: 5000 },
  attempts: 5,
  backoff: { type: "exponential", delay: 200 },
} as const;
