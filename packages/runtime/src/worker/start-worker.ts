import type { Worker } from "bullmq";
import { AWS_INTEGRATION_HANDLER, HTTP_TASK_HANDLER, NESTED_EXECUTION_HANDLER } from "../resource-map.ts";
import type { Runtime } from "../runtime.ts";
import { datasetHandlers } from "./dataset-tasks.ts";
import { startExpressWorker } from "./express-worker.ts";
import { HandlerPace } from "./handler-pace.ts";
import { httpTaskHandler } from "./http-task.ts";
import { localTasks } from "./local-tasks.ts";
import { nestedExecutionHandler } from "./nested-execution-task.ts";
import { TaskFailure, type TaskHandler } from "./task-handler.ts";
import { applyTaskLimits, parseTaskLimits } from "./task-limits.ts";
import { startTaskWorkers, type TaskWorkerOptions, taskRunner } from "./task-worker.ts";
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

/**
 * Answers AWS integration tasks in a worker started without packages/integrations' handler, so they
 * fail at once instead of waiting in a queue nobody serves.
 */
const integrationsMissing: TaskHandler = (_input, context) => {
  throw new TaskFailure(
    "States.Runtime",
    `No AWS integration handler runs in this worker for '${context.resource}': start workers with @stepwise/integrations' handler (apps/worker does) and set STEPWISE_AWS_INTEGRATIONS (see docs/integrations.md)`,
  );
};

/** A worker process: transitions plus the given task handlers (and the built-in HTTP Task, nested executions, datasets). */
export function startWorker(runtime: Runtime, options: StartWorkerOptions = {}): WorkerProcess {
  const concurrency = options.concurrency ?? runtime.config.STEPWISE_WORKER_CONCURRENCY;
  const handlers = {
    [HTTP_TASK_HANDLER]: httpTaskHandler(runtime.config.STEPWISE_HTTP_ALLOWED_HOSTS),
    [NESTED_EXECUTION_HANDLER]: nestedExecutionHandler(runtime),
    ...datasetHandlers(runtime),
    [AWS_INTEGRATION_HANDLER]: integrationsMissing,
    ...options.handlers,
  };
  const limits = parseTaskLimits(runtime.config.STEPWISE_TASK_LIMITS);
  applyTaskLimits(runtime, limits).catch((err) => runtime.logger.error({ err }, "could not apply task limits"));
  const pace = new HandlerPace();
  const taskOptions: TaskWorkerOptions = {
    handlers,
    concurrency,
    observe: (event) => {
      pace.record(event.handler, event.waitedMs);
      options.observeTask?.(event);
      runtime.observers.task(event);
    },
  };
  const runner = taskRunner(runtime, taskOptions);
  const inlineMs = runtime.config.STEPWISE_INLINE_TASK_MS;
  const local = runtime.config.STEPWISE_LOCAL_TASKS
    ? localTasks(runtime, {
        handlers,
        concurrency,
        queuedOnly: new Set(Object.keys(limits)),
        runner,
        // A nested execution's parent token must be committed before the child can end and complete it.
        // AWS integrations are remote calls: never inside the transition, holding the execution's lock.
        ...(inlineMs > 0 ? { inline: { pace, never: new Set([NESTED_EXECUTION_HANDLER, AWS_INTEGRATION_HANDLER]) } } : {}),
      })
    : undefined;
  const withdrawLocal = local ? runtime.engine.runTasksLocally(local.runner, inlineMs) : () => {};
  const workers: Worker[] = [
    ...(options.transitions === false
      ? []
      : [startTransitionWorker(runtime, concurrency), startExpressWorker(runtime, handlers, concurrency)]),
    ...startTaskWorkers(runtime, taskOptions, runner),
  ];
  for (const worker of workers) worker.on("stalled", () => runtime.observers.jobStalled({ queue: worker.name }));
  // The queues this process serves, so its metrics report their depth before it dispatches to them.
  for (const name of Object.keys(handlers)) runtime.queues.taskQueue(name);
  return {
    workers,
    close: async (force = false) => {
      withdrawLocal();
      await Promise.all(workers.map((w) => w.close(force)));
      // Forced: local runs are abandoned like jobs handed back; their leases lapse and the reconciler requeues them.
      if (!force) await local?.idle();
    },
  };
}
