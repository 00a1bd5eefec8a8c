/**
 * EXPRESS state machines: each execution runs inside one worker job, in memory, with the ASL core's
 * runner and this worker's task handlers — no per-event writes, no queue hop per task. Only the start
 * and the result are stored (AWS keeps no history for Express workflows either). Like AWS's Express
 * workflows, an execution whose worker dies is run again from the start (at-least-once).
 */

import {
  type Json,
  ownValue,
  type TaskHandler as RunnerHandler,
  runExecution,
  type StateMachineDefinition,
  TaskError,
  type TaskRequest,
  type Trigger,
} from "@stepwise/asl";
import { type ExecutionRecord, finishExecution, getExecution } from "@stepwise/storage";
import { Worker } from "bullmq";
import { logSettingsOf } from "../execution-logs/log-settings.ts";
import { EXPRESS_QUEUE, type ExpressJob } from "../queues.ts";
import { AWS_INTEGRATION_HANDLER, resolveResource } from "../resource-map.ts";
import type { Runtime } from "../runtime.ts";
import { requireIntegrationScope } from "../scope/integration-scope.ts";
import { jobLock } from "./job-lock.ts";
import type { TaskHandler } from "./task-handler.ts";
import { errorTrigger, resultTrigger } from "./task-outcome.ts";

/** Wall-clock time whose waits end early, with an error, when the execution is stopped. */
function stoppableClock(signal: AbortSignal) {
  return {
    now: () => new Date(),
    sleepUntil: (date: Date) =>
      new Promise<void>((resolve, reject) => {
        if (signal.aborted) return reject(new Error("The execution was stopped"));
        const timer = setTimeout(resolve, Math.max(0, date.getTime() - Date.now()));
        signal.addEventListener("abort", () => {
          clearTimeout(timer);
          reject(new Error("The execution was stopped"));
        });
      }),
  };
}

export function startExpressWorker(
  runtime: Runtime,
  handlers: Readonly<Record<string, TaskHandler>>,
  concurrency: number,
): Worker<ExpressJob> {
  const worker = new Worker<ExpressJob>(EXPRESS_QUEUE, (job) => runExpress(runtime, handlers, job.data.executionArn), {
    connection: runtime.connection,
    prefix: runtime.config.STEPWISE_QUEUE_PREFIX,
    concurrency,
    ...jobLock(runtime),
  });
  worker.on("failed", (job, err) => runtime.logger.warn({ err, executionArn: job?.data.executionArn }, "express job failed"));
  return worker;
}

async function runExpress(runtime: Runtime, handlers: Readonly<Record<string, TaskHandler>>, executionArn: string): Promise<void> {
  const row = await getExecution(runtime.db, executionArn);
  if (row.status !== "RUNNING") return;
  const definition = JSON.parse(row.definition) as StateMachineDefinition;
  // StopExecution closes the execution in Postgres and signals its ARN; the run then ends at its next wait.
  const watch = await runtime.signals.watch(executionArn);
  try {
    await runStoppable(runtime, handlers, row, definition, watch.signal);
  } catch (e) {
    if (!watch.signal.aborted) throw e;
  } finally {
    watch.release();
  }
}

async function runStoppable(
  runtime: Runtime,
  handlers: Readonly<Record<string, TaskHandler>>,
  row: ExecutionRecord,
  definition: StateMachineDefinition,
  signal: AbortSignal,
): Promise<void> {
  const executionArn = row.arn;
  const result = await runExecution(definition, {
    input: JSON.parse(row.input) as Json,
    clock: stoppableClock(signal),
    random: Math.random,
    maxPayloadBytes: runtime.config.STEPWISE_MAX_PAYLOAD_BYTES,
    expressionTimeoutMs: runtime.config.STEPWISE_EXPRESSION_TIMEOUT_MS,
    maxHistoryEvents: runtime.config.STEPWISE_MAX_HISTORY_EVENTS,
    handlerFor: () => expressHandler(runtime, handlers, executionArn, signal),
    execution: {
      executionArn,
      executionName: row.name,
      startTime: row.startDate.toISOString(),
      roleArn: row.roleArn,
      stateMachineArn: row.stateMachineArn,
      stateMachineName: row.stateMachineArn.split(":").pop() ?? "",
    },
  });
  const stopDate = new Date();
  const closed = await finishExecution(runtime.db, executionArn, {
    status: result.status,
    stopDate,
    ...(result.status === "SUCCEEDED"
      ? { output: JSON.stringify(result.output ?? null) }
      : { error: result.error ?? null, cause: result.cause ?? null }),
  });
  // AWS keeps no history of an Express execution: its log records are the way to see what it did.
  const logging = logSettingsOf(row.loggingConfiguration);
  if (logging) runtime.executionLog.write({ executionArn, redriveCount: 0, settings: logging, events: result.events });
  // Not closed: StopExecution or a timeout closed it first, and the transition that did so reported it.
  if (closed) runtime.observers.executionFinished({ executionArn, status: result.status, startDate: row.startDate, stopDate });
}

/** Resolves each Task to this worker's handler the way the distributed runtime does. */
function expressHandler(
  runtime: Runtime,
  handlers: Readonly<Record<string, TaskHandler>>,
  executionArn: string,
  signal: AbortSignal,
): RunnerHandler {
  return async (_input: Json, task: TaskRequest) => {
    const target = resolveResource(task, runtime.engine.resourceMap, { lambdaService: runtime.engine.lambdaService });
    if (target.kind !== "handler")
      throw new TaskError(
        "States.Runtime",
        target.kind === "unknown" ? target.reason : `Express workflows cannot wait for activities (${task.resource})`,
      );
    const handler = ownValue(handlers, target.handler);
    if (!handler) throw new TaskError("States.Runtime", `No handler '${target.handler}' is registered in this worker for ${task.resource}`);
    let outcome: Trigger;
    try {
      if (target.handler === AWS_INTEGRATION_HANDLER) await requireIntegrationScope(runtime.db, executionArn, task.resource);
      const value = await handler(target.payload, {
        signal,
        executionArn,
        stateName: task.stateName,
        taskId: task.taskId,
        resource: task.resource,
        heartbeat: async () => {},
        deferCompletion: () => {
          throw new TaskError("States.Runtime", "Express workflows do not support callbacks or .sync tasks");
        },
      });
      // The same rules as a distributed task's result: JSON only, nothing Postgres cannot store.
      outcome = resultTrigger(task.taskId, value, target.lambdaInvoke);
    } catch (e) {
      outcome = errorTrigger(task.taskId, e);
    }
    if (outcome.type === "taskFailed") throw new TaskError(outcome.error ?? "States.Runtime", outcome.cause ?? null);
    return (outcome as { output: Json }).output;
  };
}
