import { Worker } from "bullmq";
import { TRANSITIONS_QUEUE, type TransitionJob } from "../queues.ts";
import type { Runtime } from "../runtime.ts";
import { jobLock } from "./job-lock.ts";

/** Moves executions on: each job is one engine transaction. A repeated job changes nothing. */
export function startTransitionWorker(runtime: Runtime, concurrency: number): Worker<TransitionJob> {
  const worker = new Worker<TransitionJob>(
    TRANSITIONS_QUEUE,
    async (job) => {
      const { executionArn, threadId, trigger, timerId, trace } = job.data;
      await runtime.engine.apply(executionArn, threadId, trigger, timerId ? { timerId } : {}, trace);
    },
    { connection: runtime.connection, prefix: runtime.config.STEPWISE_QUEUE_PREFIX, concurrency, ...jobLock(runtime) },
  );
  worker.on("failed", (job, error) =>
    runtime.logger.warn({ err: error, executionArn: job?.data.executionArn, trigger: job?.data.trigger.type }, "transition job failed"),
  );
  return worker;
}
