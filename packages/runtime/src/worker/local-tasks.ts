/**
 * Local tasks: a worker that has a task's handler runs the attempt its own transition has just
 * scheduled, straight after the commit, instead of sending it through the handler's queue only for it
 * to come back, most likely, to this same worker. A job costs Redis and the worker about as much CPU
 * as the raw BullMQ floor's whole job, and adds a hop of latency to every Task state. Temporal's eager
 * activity dispatch does the same. Quick handlers go further and run inside the transition itself
 * (engine/inline-tasks.ts); one that outlives its wait is adopted here after the commit.
 *
 * Nothing else changes. The attempt's token row is committed before a local run is reported, so
 * timeouts, heartbeats, StopExecution and callbacks work as for queued attempts. Its lease
 * (task-leases.ts) tells the reconciler that it runs; when the worker dies, the lease lapses and the
 * reconciler puts the attempt on its queue. When applying its outcome fails (Postgres away), it goes on
 * its queue at once and BullMQ's retries take over, as for a job whose handler ran and then failed.
 *
 * Still queued: handlers with cluster-wide limits (STEPWISE_TASK_LIMITS: BullMQ holds those in Redis),
 * handlers this process does not have, and attempts beyond `concurrency` local runs of a handler, so a
 * busy worker leaves work to the others.
 */
import { ownValue } from "@stepwise/asl";
import type { InlineOutcome, InlineTaskRunner, LocalTaskRunner } from "../engine/local-task-runner.ts";
import { jobId, type TaskJob } from "../queues.ts";
import type { Runtime } from "../runtime.ts";
import type { HandlerPace } from "./handler-pace.ts";
import type { TaskHandler } from "./task-handler.ts";
import type { HandlerOutcome, TaskRunner } from "./task-worker.ts";

export interface LocalTaskOptions {
  handlers: Readonly<Record<string, TaskHandler>>;
  concurrency: number;
  /** Handlers whose attempts must go through their queue. */
  queuedOnly: ReadonlySet<string>;
  runner: TaskRunner;
  /** Inline runs: handlers' recent durations, and those never run inline (they hand their task id out). */
  inline?: { pace: HandlerPace; never: ReadonlySet<string> };
}

export interface LocalTasks {
  runner: LocalTaskRunner;
  /** Resolves when every local run under way has ended. */
  idle(): Promise<void>;
}

/** A run begun inline whose wait ended first: it goes on, to be reported once its attempt is committed. */
interface OutlivedRun {
  outcome: Promise<HandlerOutcome>;
  done(): void;
  /** Set once the transition has committed and this process reports the run. */
  adopted: boolean;
  /** The handler's signal: attached to stop signals once adopted (before, nobody could stop the task). */
  stop: AbortController;
  /** Drops a run whose transition never committed (rolled back, retried elsewhere). */
  expiry?: NodeJS.Timeout;
  /** Its outcome was applied inline, or it was dropped. */
  forgotten?: boolean;
  /** Ends the transition's wait for the run at once (the handler deferred completion: it waits for the commit). */
  endWait?: () => void;
  /** For a handler that deferred completion: settles once the attempt is committed (adopted), or never will be. */
  committed?: { promise: Promise<void>; resolve(): void; reject(error: Error): void };
  /**
   * Holds one of the handler's `concurrency` slots: from when it outlived its wait. A run answering within
   * its wait holds none: it is bounded by the transitions in flight, and it would crowd out the runs after
   * the commit that the slots are for.
   */
  occupied?: boolean;
}

export function localTasks(runtime: Runtime, options: LocalTaskOptions): LocalTasks {
  const inFlight = new Map<string, number>();
  const runs = new Set<Promise<void>>();
  const outlived = new Map<string, OutlivedRun>();
  // Handlers that deferred completion once: their task id goes to a callback, which needs the token committed.
  const deferring = new Set<string>();
  const forgetAfterMs = runtime.config.STEPWISE_JOB_LOCK_MS;

  const track = (run: Promise<void>) => {
    runs.add(run);
    void run.finally(() => runs.delete(run));
  };
  const release = (job: TaskJob) => inFlight.set(job.handler, (inFlight.get(job.handler) ?? 1) - 1);
  const free = (handler: string) => (inFlight.get(handler) ?? 0) < options.concurrency;
  const occupy = (job: TaskJob) => inFlight.set(job.handler, (inFlight.get(job.handler) ?? 0) + 1);

  /** Reports a run once its attempt is committed; on failure the attempt goes on its queue. */
  const report = async (job: TaskJob, outcome: () => Promise<HandlerOutcome | undefined>) => {
    const { taskId } = job.task;
    runtime.leases.take(taskId);
    try {
      const decided = await outcome();
      if (decided) await options.runner.report(job, decided);
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
      release(job);
    }
  };

  /** Waits up to `waitMs` for a run begun inline; undefined if it has not answered (or deferred) by then. */
  const waitForRun = async (job: TaskJob, run: OutlivedRun, waitMs: number): Promise<InlineOutcome | undefined> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      run.endWait = () => resolve(undefined);
      // Deferred already (in its first synchronous part): it waits for the commit, so nothing is gained by waiting.
      if (run.committed) resolve(undefined);
      else timer = setTimeout(() => resolve(undefined), waitMs);
    });
    const outcome = await Promise.race([run.outcome, late]).finally(() => clearTimeout(timer));
    if (outcome && !outcome.deferred) {
      forget(job, run);
      runtime.observers.localTask({ handler: job.handler, mode: "inline" });
      return { trigger: outcome.trigger, handlerMs: outcome.waitedMs };
    }
    if (!run.occupied) {
      run.occupied = true;
      occupy(job);
    }
    if (!outlived.has(job.task.taskId)) {
      outlived.set(job.task.taskId, run);
      const expire = () => {
        if (!run.adopted) run.expiry = setTimeout(() => forget(job, run), forgetAfterMs).unref();
      };
      run.outcome.then(expire, expire);
    }
    return undefined;
  };
  /**
   * What a deferring handler awaits before handing its task id out: the commit of the transition that
   * schedules its attempt. The transition stops waiting for the run at once, so it commits without
   * spending the rest of its wait.
   */
  const committedOf = (run: OutlivedRun): Promise<void> => {
    if (run.adopted) return Promise.resolve();
    if (!run.committed) {
      let settle = { resolve: () => {}, reject: (_: Error) => {} };
      const promise = new Promise<void>((resolve, reject) => {
        settle = { resolve, reject };
      });
      // A handler that does not await it must not leave an unhandled rejection behind.
      promise.catch(() => {});
      run.committed = { promise, ...settle };
      // Rolled back and retried by another worker, this run is never adopted: its handler must not wait for ever.
      setTimeout(() => {
        if (!run.adopted) run.committed?.reject(new Error("The transition that scheduled this task did not commit"));
      }, forgetAfterMs).unref();
    }
    run.endWait?.();
    return run.committed.promise;
  };
  const forget = (job: TaskJob, run: OutlivedRun) => {
    if (run.adopted || run.forgotten) return;
    run.forgotten = true;
    if (outlived.get(job.task.taskId) === run) outlived.delete(job.task.taskId);
    run.done();
    if (run.occupied) release(job);
  };

  const inline: InlineTaskRunner | undefined = options.inline
    ? (job, waitMs) => {
        // A retried transition meets the run it began before.
        const earlier = outlived.get(job.task.taskId);
        if (earlier) return earlier.adopted ? undefined : waitForRun(job, earlier, waitMs);
        const handler = ownValue(options.handlers, job.handler);
        const { pace, never } = options.inline as NonNullable<LocalTaskOptions["inline"]>;
        if (!handler || options.queuedOnly.has(job.handler) || never.has(job.handler) || deferring.has(job.handler)) return undefined;
        if (!free(job.handler) || !pace.quick(job.handler, waitMs)) return undefined;
        const run = { adopted: false, stop: new AbortController() } as OutlivedRun;
        const started = options.runner.start(handler, job, {
          signal: run.stop.signal,
          // No HeartbeatSeconds (those are not run inline) and nothing committed yet: nothing to push back.
          heartbeat: async () => {
            if (run.adopted) await runtime.engine.heartbeatTask(job.task.taskId);
          },
          onDefer: () => {
            deferring.add(job.handler);
            return committedOf(run);
          },
        });
        if (!started) return undefined;
        run.outcome = started.outcome;
        run.done = started.done;
        // A run that fails without an outcome (a bug, not a handler error: those are outcomes) is dropped;
        // the attempt is scheduled as usual and runs after the commit.
        return waitForRun(job, run, waitMs).catch(() => {
          forget(job, run);
          return undefined;
        });
      }
    : undefined;

  const runner: LocalTaskRunner = {
    adopt: (job) => {
      const run = outlived.get(job.task.taskId);
      if (!run || run.adopted) return false;
      run.adopted = true;
      run.committed?.resolve();
      clearTimeout(run.expiry);
      outlived.delete(job.task.taskId);
      runtime.observers.localTask({ handler: job.handler, mode: "after_commit" });
      // Best effort, as stop signals are: without Redis the run still reports its outcome.
      const stopSignals = runtime.signals.attach(job.task.taskId, run.stop).catch(() => () => {});
      track(
        report(job, () => run.outcome).finally(async () => {
          run.done();
          (await stopSignals)();
        }),
      );
      return true;
    },
    run: (job) => {
      const handler = ownValue(options.handlers, job.handler);
      if (!handler || options.queuedOnly.has(job.handler) || !free(job.handler)) return false;
      occupy(job);
      runtime.observers.localTask({ handler: job.handler, mode: "after_commit" });
      // The run reports its own outcome.
      track(report(job, () => options.runner.run(handler, job, false).then(() => undefined)));
      return true;
    },
    ...(inline ? { inline } : {}),
  };
  return {
    runner,
    idle: async () => {
      while (runs.size > 0) await Promise.all([...runs]);
    },
  };
}
