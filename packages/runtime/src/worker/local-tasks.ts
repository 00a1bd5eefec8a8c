/**
 * Local tasks: a worker that has a task's handler runs the attempt its own transition has just
 * scheduled, straight after the commit, instead of sending it through the handler's queue only for it
 * to come back, most likely, to this same worker. A job costs Redis and the worker about as much CPU
 * as the raw BullMQ floor's whole job, and adds a hop of latency to every Task state. Temporal's eager
 * activity dispatch does the same.
 *
 * Nothing else changes. The attempt's token row is committed before its handler starts, so timeouts,
 * heartbeats, StopExecution and callbacks work as for queued attempts. Its lease (task-leases.ts) tells
 * the reconciler that it runs; when the worker dies, the lease lapses and the reconciler puts the
 * attempt on its queue. When applying its outcome fails (Postgres away), it goes on its queue at once
 * and BullMQ's retries take over, as for a job whose handler ran and then failed.
 *
 * Still queued: handlers with cluster-wide limits (STEPWISE_TASK_LIMITS: BullMQ holds those in Redis),
 * handlers this process does not have, and attempts beyond `concurrency` local runs of a handler, so a
 * busy worker leaves work to the others.
 */
import type { LocalTaskRunner } from "../engine/execution-engine.ts";
import { jobId, type TaskJob } from "../queues.ts";
import type { Runtime } from "../runtime.ts";
import type { TaskHandler } from "./task-handler.ts";
import type { TaskRun } from "./task-worker.ts";

export interface LocalTaskOptions {
  handlers: Readonly<Record<string, TaskHandler>>;
  concurrency: number;
  /** Handlers whose attempts must go through their queue. */
  queuedOnly: ReadonlySet<string>;
  run: TaskRun;
}

export interface LocalTasks {
  runner: LocalTaskRunner;
  /** Resolves when every local run under way has ended. */
  idle(): Promise<void>;
}

export function localTasks(runtime: Runtime, options: LocalTaskOptions): LocalTasks {
  const inFlight = new Map<string, number>();
  const runs = new Set<Promise<void>>();
  const runLocally = async (handler: TaskHandler, job: TaskJob) => {
    const { taskId } = job.task;
    try {
      await options.run(handler, job, false);
    } catch (err) {
      runtime.logger.warn(
        { err, executionArn: job.executionArn, state: job.task.stateName },
        "a local task run failed; it goes on its queue",
      );
      await runtime.queues
        .dispatch([{ kind: "task", jobId: jobId(taskId), data: job }])
        .catch((error: unknown) =>
          runtime.logger.error({ err: error, executionArn: job.executionArn }, "could not queue a failed local task"),
        );
    } finally {
      runtime.leases.drop(taskId);
      inFlight.set(job.handler, (inFlight.get(job.handler) ?? 1) - 1);
    }
  };
  const runner: LocalTaskRunner = (job) => {
    const handler = options.handlers[job.handler];
    if (!handler || options.queuedOnly.has(job.handler)) return false;
    const running = inFlight.get(job.handler) ?? 0;
    if (running >= options.concurrency) return false;
    inFlight.set(job.handler, running + 1);
    runtime.leases.take(job.task.taskId);
    runtime.observers.localTask({ handler: job.handler });
    const run = runLocally(handler, job);
    runs.add(run);
    void run.finally(() => runs.delete(run));
    return true;
  };
  return {
    runner,
    idle: async () => {
      while (runs.size > 0) await Promise.all([...runs]);
    },
  };
}
