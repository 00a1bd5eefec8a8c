import type { Worker } from "bullmq";
import { NESTED_EXECUTION_HANDLER } from "../resource-map.ts";
import type { Runtime } from "../runtime.ts";
import { startExpressWorker } from "./express-worker.ts";
import { httpTaskHandler } from "./http-task.ts";
import { nestedExecutionHandler } from "./nested-execution-task.ts";
import type { TaskHandler } from "./task-handler.ts";
import { applyTaskLimits, parseTaskLimits } from "./task-limits.ts";
import { startTaskWorkers, type TaskWorkerOptions } from "./task-worker.ts";
import { startTransitionWorker } from "./transition-worker.ts";

export interface WorkerProcess {
  /** Stops taking jobs, lets running ones finish (BullMQ waits for them), then returns. `force`: hand them back now. */
  close(force?: boolean): Promise<void>;
  workers: Worker[];
}

export interface StartWorkerOptions {
  handlers?: Readonly<Record<string, TaskHandler>>;
  concurrency?: number;
  /** Also run transitions (every worker does by default; a handler-only worker may not). */
  transitions?: boolean;
  observeTask?: TaskWorkerOptions["observe"];
}

/** A worker process: transitions plus the given task handlers (and the built-in HTTP Task). */
export function startWorker(runtime: Runtime, options: StartWorkerOptions = {}): WorkerProcess {
  const concurrency = options.concurrency ?? runtime.config.STEPWISE_WORKER_CONCURRENCY;
  const handlers = {
    http: httpTaskHandler(runtime.config.STEPWISE_HTTP_ALLOWED_HOSTS),
    [NESTED_EXECUTION_HANDLER]: nestedExecutionHandler(runtime),
    ...options.handlers,
  };
  applyTaskLimits(runtime, parseTaskLimits(runtime.config.STEPWISE_TASK_LIMITS)).catch((err) =>
    runtime.logger.error({ err }, "could not apply task limits"),
  );
  const workers: Worker[] = [
    ...(options.transitions === false
      ? []
      : [startTransitionWorker(runtime, concurrency), startExpressWorker(runtime, handlers, concurrency)]),
    ...startTaskWorkers(runtime, {
      handlers,
      concurrency,
      observe: (event) => {
        options.observeTask?.(event);
        runtime.observers.task(event);
      },
    }),
  ];
  for (const worker of workers) worker.on("stalled", () => runtime.observers.jobStalled({ queue: worker.name }));
  // The queues this process serves, so its metrics report their depth before it dispatches to them.
  for (const name of Object.keys(handlers)) runtime.queues.taskQueue(name);
  return {
    workers,
    close: async (force = false) => {
      await Promise.all(workers.map((w) => w.close(force)));
    },
  };
}
