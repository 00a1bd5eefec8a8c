/**
 * Runs task handlers, from their queues and (see local-tasks.ts) straight after the commit that
 * scheduled them. At-least-once: a worker that dies mid-handler leaves the job to
 * BullMQ's stalled-job recovery (or the reconciler, if Redis lost it), and the handler runs again; the
 * engine applies only the first outcome it receives for the attempt. A process never runs one attempt
 * twice at once: when Redis loses a job while its handler runs, the reconciler puts it back, and the
 * copy may reach the same process (the chaos test saw dozens do so at once after a Redis restart).
 */
import type { Trigger } from "@stepwise/asl";
import { markTaskTokenStarted } from "@stepwise/storage";
import { Worker } from "bullmq";
import { type TaskJob, taskQueueName } from "../queues.ts";
import { AWS_INTEGRATION_HANDLER } from "../resource-map.ts";
import type { Runtime } from "../runtime.ts";
import { requireIntegrationScope } from "../scope/integration-scope.ts";
import { taskRunSpans } from "../tracing/task-spans.ts";
import { eventLoopTurn } from "./event-loop-turns.ts";
import { jobLock } from "./job-lock.ts";
import { OpenTaskCheck } from "./open-task-check.ts";
import type { TaskHandler } from "./task-handler.ts";
import { errorTrigger, resultTrigger } from "./task-outcome.ts";

export interface TaskWorkerOptions {
  handlers: Readonly<Record<string, TaskHandler>>;
  concurrency: number;
  /** Told about every handler run (metrics, and how quick each handler is). */
  observe?: (event: { handler: string; outcome: "succeeded" | "failed"; durationMs: number; waitedMs: number }) => void;
}

/** What one handler run decided: the task's outcome, and whether the handler left completion to a callback. */
export interface HandlerOutcome {
  trigger: Trigger;
  deferred: boolean;
  /** From the handler's call until it answered. */
  durationMs: number;
  /**
   * What the handler made its caller wait: the wall time, or only its synchronous call when it answered
   * within the event-loop turn it was called in (see event-loop-turns.ts).
   */
  waitedMs: number;
}

/** How a run whose token is not committed yet (inline: see engine/inline-tasks.ts) answers its handler. */
export interface UncommittedRunHooks {
  /** Nobody can stop a task before it is committed: the caller attaches this to stop signals once it is. */
  signal: AbortSignal;
  heartbeat(): Promise<void>;
  /** The handler deferred completion; resolves once the attempt's token is committed. */
  onDefer(): Promise<void>;
}

export interface TaskRunner {
  /**
   * Runs one attempt and reports its outcome. `fromQueue`: the attempt came as a job, which may be stale
   * (answered, timed out or stopped meanwhile), so it is checked first; one run locally was scheduled a
   * moment ago.
   */
  run(handler: TaskHandler, job: TaskJob, fromQueue: boolean): Promise<void>;
  /**
   * Starts an attempt inside the transition that schedules it; the caller reports the outcome and calls
   * `done`. Undefined when this process runs the attempt already.
   */
  start(handler: TaskHandler, job: TaskJob, hooks: UncommittedRunHooks): { outcome: Promise<HandlerOutcome>; done(): void } | undefined;
  /** Applies a run's outcome (see `start`). */
  report(job: TaskJob, outcome: HandlerOutcome): Promise<void>;
}

export function taskRunner(runtime: Runtime, options: Pick<TaskWorkerOptions, "observe">): TaskRunner {
  const openTasks = new OpenTaskCheck(runtime.db);
  const running = new Set<string>();
  return {
    run: async (handler, job, fromQueue) => {
      const { taskId } = job.task;
      // The copy completes without running: the run under way reports the attempt's outcome, or fails and is retried.
      if (running.has(taskId)) return;
      running.add(taskId);
      try {
        if (fromQueue && !(await openTasks.isOpen(taskId))) return;
        await reportOutcome(runtime, job, await runHandler(runtime, handler, job, options));
      } finally {
        running.delete(taskId);
      }
    },
    start: (handler, job, hooks) => {
      const { taskId } = job.task;
      if (running.has(taskId)) return undefined;
      running.add(taskId);
      return { outcome: runHandler(runtime, handler, job, options, hooks), done: () => running.delete(taskId) };
    },
    report: async (job, outcome) => {
      await reportOutcome(runtime, job, outcome);
    },
  };
}

export function startTaskWorkers(runtime: Runtime, options: TaskWorkerOptions, runner: TaskRunner): Worker<TaskJob>[] {
  return Object.entries(options.handlers).map(([name, handler]) => {
    const worker = new Worker<TaskJob>(taskQueueName(name), (job) => runner.run(handler, job.data, true), {
      connection: runtime.connection,
      prefix: runtime.config.STEPWISE_QUEUE_PREFIX,
      concurrency: options.concurrency,
      ...jobLock(runtime),
    });
    worker.on("failed", (job, error) =>
      runtime.logger.warn({ err: error, executionArn: job?.data.executionArn, state: job?.data.task.stateName }, "task job failed"),
    );
    return worker;
  });
}

async function runHandler(
  runtime: Runtime,
  handler: TaskHandler,
  job: TaskJob,
  options: Pick<TaskWorkerOptions, "observe">,
  uncommitted?: UncommittedRunHooks,
): Promise<HandlerOutcome> {
  const { task, executionArn } = job;
  const watch = uncommitted ? { signal: uncommitted.signal, release: () => {} } : await runtime.signals.watch(task.taskId);
  // Only a traced attempt (its job names its trace) in a tracing process draws spans.
  const spans = job.trace && runtime.tracing ? taskRunSpans(runtime.tracing, job) : undefined;
  const turn = eventLoopTurn();
  const started = performance.now();
  let calledMs: number | undefined;
  let trigger: Trigger;
  let deferred = task.taskToken !== undefined;
  try {
    // On the execution's behalf: an AWS service outside its starter's scope is never called.
    if (job.handler === AWS_INTEGRATION_HANDLER) await requireIntegrationScope(runtime.db, executionArn, task.resource);
    const answer = handler(job.payload, {
      signal: watch.signal,
      executionArn,
      stateName: task.stateName,
      taskId: task.taskId,
      resource: task.resource,
      ...(task.taskToken ? { taskToken: task.taskToken } : {}),
      ...(spans ? { trace: spans.context } : {}),
      heartbeat: uncommitted ? uncommitted.heartbeat : () => runtime.engine.heartbeatTask(task.taskId),
      deferCompletion: () => {
        deferred = true;
        // Run from its queue or after the commit, the attempt's token is committed already.
        return uncommitted ? uncommitted.onDefer() : Promise.resolve();
      },
    });
    calledMs = performance.now() - started;
    trigger = resultTrigger(task.taskId, await answer, job.lambdaInvoke);
  } catch (error) {
    trigger = errorTrigger(task.taskId, error);
  } finally {
    watch.release();
  }
  spans?.finish(trigger);
  const durationMs = performance.now() - started;
  const waitedMs = eventLoopTurn() === turn ? (calledMs ?? durationMs) : durationMs;
  const outcome = trigger.type === "taskSucceeded" ? "succeeded" : "failed";
  options.observe?.({ handler: job.handler, outcome, durationMs, waitedMs });
  runtime.logger.debug({ executionArn, state: task.stateName, outcome: trigger.type }, "task handler finished");
  return { trigger, deferred, durationMs, waitedMs };
}

/**
 * Applies a handler run's outcome to its execution. False when the attempt was closed already (answered,
 * timed out, stopped): the engine ignored it. A deferred run counts as applied even when a callback came
 * first, since that callback has completed the attempt.
 */
export async function reportOutcome(
  runtime: Runtime,
  job: TaskJob,
  { trigger, deferred }: Pick<HandlerOutcome, "trigger" | "deferred">,
): Promise<boolean> {
  const { task, executionArn, threadId } = job;
  if (deferred && trigger.type === "taskSucceeded") {
    // Callback pattern: the handler only hands the token on; SendTaskSuccess/Failure completes the task.
    await markTaskTokenStarted(runtime.db, task.taskId);
    // AWS records the service's answer to the request (the handler's result) as TaskSubmitted. A callback
    // that came first has completed the attempt already, and the interpreter ignores this.
    await runtime.engine.apply(executionArn, threadId, { type: "taskSubmitted", taskId: task.taskId, output: trigger.output });
    return true;
  }
  const status = trigger.type === "taskSucceeded" ? "SUCCEEDED" : "FAILED";
  return (await runtime.engine.apply(executionArn, threadId, trigger, { closeToken: { token: task.taskId, status } })) !== null;
}
