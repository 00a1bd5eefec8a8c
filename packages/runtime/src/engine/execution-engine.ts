/**
 * The runtime's single gateway for changing executions: starting them (starts.ts), applying what
 * happened to one of their threads, stopping them, and task callbacks. Each change is one Postgres
 * transaction (see transition.ts); queue jobs and stop signals go out only after it commits.
 */

import type { Json, MapRunLimits, ThreadOutcome, Trigger } from "@stepwise/asl";
import {
  type ClosedExecution,
  cancelTimers,
  claimActivityTask,
  type Database,
  type ExecutionRecord,
  getExecution,
  getTaskToken,
  heartbeatTaskToken,
  isUnstorableText,
  purgeStateMachine,
  type StateMachineRecord,
  scheduleTimer,
  TaskTimedOut,
  type Transaction,
} from "@stepwise/storage";
import type { Tracing } from "@stepwise/tracing";
import type { LoggedEvents } from "../execution-logs/execution-log.ts";
import type { ExecutionStartObservation } from "../observers.ts";
import { jobId, type OutboxJob, type Queues, type TaskJob } from "../queues.ts";
import { nestedExecutionMode } from "../resource-map.ts";
import type { TaskSignals } from "../signals.ts";
import { recordTransition } from "../tracing/execution-spans.ts";
import type { JobTrace } from "../tracing/job-trace.ts";
import { jsonHoldsNul, textHoldsNul } from "../unstorable-text.ts";
import { admitQueued, concurrencyLimit } from "./admission.ts";
import { UnstorableText } from "./engine-errors.ts";
import { ExecutionCache, type LoadedExecution } from "./execution-cache.ts";
import { GroupCommit, type GroupCommitOptions } from "./group-commit.ts";
import { InlineAllowance } from "./inline-tasks.ts";
import type { LocalTaskRunner } from "./local-task-runner.ts";
import { nestedStartScope, parentOutcome } from "./nested-executions.ts";
import { type RedriveRequest, redrive, redriveRefusal } from "./redrive.ts";
import { ExecutionStarts, type StartRequest, type StartResult } from "./starts.ts";
import type { GuardedTrigger, TransitionGuards, TransitionResult, TransitionSettings } from "./transition.ts";
import { runTransitionGroup } from "./transition-group.ts";

export type { StartRequest, StartResult };

export interface EngineDependencies {
  db: Database;
  queues: Queues;
  signals: TaskSignals;
  settings: TransitionSettings;
  resourceMap: Readonly<Record<string, string>>;
  /** AWS_ENDPOINT_URL_LAMBDA is set: unmapped Lambda resources call that Lambda service (see resource-map.ts). */
  lambdaService?: boolean;
  groupCommit: GroupCommitOptions;
  /** Told about every committed transition (metrics). */
  observe?: (event: { executionArn: string; result: TransitionResult; durationMs: number }) => void;
  /** Told about every execution created (metrics); not about repeated starts that found it existing. */
  observeStart?: (event: ExecutionStartObservation) => void;
  /** Given events written outside a transition (a redrive's ExecutionRedriven) of an execution that logs, once committed. */
  logEvents?: (logged: LoggedEvents) => void;
  /** OpenTelemetry traces; absent when tracing is off, and then no span is drawn anywhere. */
  tracing?: Tracing;
}

interface TransitionRequest extends GuardedTrigger {
  executionArn: string;
}

interface TransitionOutcome {
  result: TransitionResult;
  applied: boolean;
  owner: boolean;
  loaded: LoadedExecution;
}

const UNSTORABLE_STATE = "The execution's state data contains the character U+0000, which cannot be stored";

export class ExecutionEngine {
  private readonly cache = new ExecutionCache();
  private readonly starts: ExecutionStarts;
  private readonly transitions: GroupCommit<TransitionRequest, TransitionOutcome>;
  private readonly localTasks = new Set<LocalTaskRunner>();
  private inlineBudgetMs = 0;

  constructor(private readonly deps: EngineDependencies) {
    this.transitions = new GroupCommit(
      deps.db,
      (request) => request.executionArn,
      (tx, members) => this.transition(tx, members),
      deps.groupCommit,
      // A parent hears of its children's ends from every worker at once: its lock must not hold others up.
      (request) => request.trigger.type === "childExecutionEnded",
    );
    this.starts = new ExecutionStarts({
      ...deps,
      cache: this.cache,
      batching: { maxBatch: deps.groupCommit.maxBatch, maxInFlight: deps.groupCommit.maxInFlight },
    });
  }

  /** One transaction's members (requests of one execution each); see group-commit.ts and transition-group.ts. */
  private async transition(tx: Transaction, members: TransitionRequest[][]): Promise<TransitionOutcome[][]> {
    const applied = await runTransitionGroup(
      tx,
      members.map((requests) => ({ executionArn: (requests[0] as TransitionRequest).executionArn, requests })),
      {
        settings: this.deps.settings,
        hooks: {
          resourceMap: this.deps.resourceMap,
          lambdaService: this.lambdaService,
          onRootFinished: (finishTx, finished, machine) => this.afterExecutionEnded(finishTx, finished.info.stateMachineArn, machine),
          compiled: (definition) => this.cache.compiled(definition),
          inline: () => (this.inlineBudgetMs > 0 ? new InlineAllowance(this.localTasks, this.inlineBudgetMs) : undefined),
          tracing: this.deps.tracing,
        },
        load: (loadTx, arns) => this.cache.loadAll(loadTx, arns),
      },
    );
    return members.map((requests, m) => {
      const { loaded, result } = applied[m] as (typeof applied)[number];
      if (result.finished) this.cache.forget(loaded.info.executionArn);
      // What the transaction decided (jobs, stop signals, metrics, a parent to complete) is carried out once,
      // by the first request that applied.
      const owner = result.appliedRequests.indexOf(true);
      return requests.map((_, i) => ({
        result,
        applied: result.appliedRequests[i] === true,
        owner: i === owner,
        loaded,
      }));
    });
  }

  /**
   * A worker with handlers offers to run the task attempts that this process's transitions schedule,
   * after their commit or, waiting at most `inlineBudgetMs` per transition, inside it (see
   * inline-tasks.ts); returns the withdrawal.
   */
  runTasksLocally(runner: LocalTaskRunner, inlineBudgetMs = 0): () => void {
    this.localTasks.add(runner);
    if (runner.inline) this.inlineBudgetMs = inlineBudgetMs;
    return () => this.localTasks.delete(runner);
  }

  get resourceMap(): Readonly<Record<string, string>> {
    return this.deps.resourceMap;
  }

  get lambdaService(): boolean {
    return this.deps.lambdaService === true;
  }

  /** StartExecution: see starts.ts. */
  start(request: StartRequest): Promise<StartResult> {
    return this.starts.start(request);
  }

  /**
   * A start made by a running execution (a `states:startExecution` task): held to the scope of the
   * credential the parent acts for, which the child inherits (see nested-executions.ts).
   */
  async startNested(parentExecutionArn: string, request: Omit<StartRequest, "scope">): Promise<StartResult> {
    const scope = await nestedStartScope(this.deps.db, parentExecutionArn, request.stateMachineArn);
    return this.starts.start(scope ? { ...request, scope } : request);
  }

  /**
   * Applies a trigger to a thread. Returns null when it no longer applies (the execution ended, a timer
   * fired before). `trace`: what the job that brought the trigger carried of its execution's trace.
   */
  async apply(
    executionArn: string,
    threadId: string,
    trigger: Trigger,
    options: TransitionGuards = {},
    trace?: JobTrace,
  ): Promise<TransitionResult | null> {
    const started = performance.now();
    let outcome: TransitionOutcome;
    try {
      outcome = await this.transitions.submit({ executionArn, threadId, trigger, guards: options });
    } catch (error) {
      // State data holding U+0000 (an intrinsic can make one) fails every write the same way: retried, the
      // job would fail for ever and the execution stay RUNNING. It fails the execution instead.
      if (!isUnstorableText(error) || trigger.type === "fail") throw error;
      return this.apply(executionArn, "", { type: "fail", error: "States.Runtime", cause: UNSTORABLE_STATE });
    }
    const { result, applied, owner, loaded } = outcome;
    if (!applied) return null;
    if (!owner) return result;
    await this.deps.queues.dispatch(this.withoutLocalTasks(this.withoutLocalTransitions(result.outbox)));
    await this.deps.signals.abort(result.aborts);
    this.deps.observe?.({ executionArn, result, durationMs: performance.now() - started });
    const { tracing } = this.deps;
    if (tracing && result.span && loaded.trace) {
      recordTransition(tracing, loaded.trace, result.span, {
        executionArn,
        stateMachineArn: loaded.info.stateMachineArn,
        threadId,
        trigger,
        result,
        redriveCount: loaded.info.redriveCount,
        ...(trace ? { job: trace } : {}),
      });
    }
    const { parentTaskToken } = loaded;
    if (result.finished && parentTaskToken) await this.completeParentTask(parentTaskToken, executionArn, result.finished);
    return result;
  }

  /** The jobs left for the queues once this process has started applying the transitions marked local. */
  private withoutLocalTransitions(outbox: OutboxJob[]): OutboxJob[] {
    if (!outbox.some((job) => job.kind === "transition" && job.local)) return outbox;
    return outbox.filter((job) => {
      if (job.kind !== "transition" || !job.local) return true;
      const { executionArn, threadId, trigger } = job.data;
      // Not awaited: the caller's job is done. A failure leaves the end untold, which the reconciler tells.
      void this.apply(executionArn, threadId, trigger).catch(() => undefined);
      return false;
    });
  }

  /** The jobs left for the queues once this process has taken the task attempts it runs itself. */
  private withoutLocalTasks(outbox: OutboxJob[]): OutboxJob[] {
    if (this.localTasks.size === 0) return outbox;
    const runners = [...this.localTasks];
    // The runner whose inline run outlived its wait first: it must not run twice.
    const local = (job: TaskJob) => runners.some((r) => r.adopt(job)) || runners.some((r) => r.run(job));
    return outbox.filter((job) => job.kind !== "task" || !local(job.data));
  }

  /** A nested `.sync` execution ended: its parent's task completes with its description. */
  async completeParentTask(token: string, childArn: string, outcome: ThreadOutcome): Promise<void> {
    const { db } = this.deps;
    const parent = await getTaskToken(db, token).catch(() => undefined);
    if (!parent || (parent.status !== "PENDING" && parent.status !== "STARTED")) return;
    const attempt = JSON.parse(parent.input ?? "{}") as { task?: { resource?: string } };
    const completion = parentOutcome(await getExecution(db, childArn), outcome, nestedExecutionMode(attempt.task?.resource ?? ""));
    await this.completeTask(token, "output" in completion ? completion : { error: completion.error, cause: completion.cause }).catch(
      (e: unknown) => {
        // The parent stopped or timed out meanwhile: nothing waits for this result any more.
        if (!(e instanceof TaskTimedOut)) throw e;
      },
    );
  }

  /**
   * In the transaction that ends an execution: free its concurrency slot for the next queued one, and
   * finish deleting its state machine if this was the machine's last running execution.
   */
  private async afterExecutionEnded(tx: Transaction, stateMachineArn: string, machine: ClosedExecution["machine"]): Promise<OutboxJob[]> {
    if (!machine) return [];
    if (machine.status === "DELETING") {
      await purgeStateMachine(tx, stateMachineArn);
      return [];
    }
    const limit = concurrencyLimit(machine);
    return limit === undefined ? [] : admitQueued(tx, stateMachineArn, limit);
  }

  /** RedriveExecution: see redrive.ts. */
  async redrive(executionArn: string, request: RedriveRequest = {}): Promise<{ redriveDate: Date }> {
    return redrive(this.deps, executionArn, request);
  }

  /** Why RedriveExecution would refuse the execution now (AWS's redriveStatusReason), or undefined. */
  redriveRefusal(execution: ExecutionRecord, historyLength: number, machine: StateMachineRecord | undefined): string | undefined {
    return redriveRefusal(execution, historyLength, machine, {
      now: this.deps.settings.now(),
      maxHistoryEvents: this.deps.settings.maxHistoryEvents,
    });
  }

  /** StopExecution: ABORTED at once; running handlers are signalled and timers dropped. */
  async stop(executionArn: string, error?: string, cause?: string): Promise<void> {
    await this.apply(executionArn, "", { type: "abort", error: error ?? null, cause: cause ?? null });
  }

  /**
   * UpdateMapRun: new limits for the Map Run of fan-out `fanOutId` on `threadId`. A Map Run that has
   * ended meanwhile is left as it was (the interpreter checks the fan-out and the phase).
   */
  async updateMapRun(executionArn: string, threadId: string, fanOutId: string, limits: MapRunLimits): Promise<void> {
    await this.apply(executionArn, threadId, { type: "updateMapRun", fanOutId, ...limits });
  }

  /** SendTaskSuccess / SendTaskFailure. */
  async completeTask(token: string, outcome: { output: Json } | { error: string | null; cause: string | null }): Promise<void> {
    // Refused here: applied, it would fail the execution (see apply).
    if ("output" in outcome ? jsonHoldsNul(outcome.output) : textHoldsNul(outcome.error) || textHoldsNul(outcome.cause)) {
      throw new UnstorableText("The request contains the character U+0000, which cannot be stored");
    }
    const record = await getTaskToken(this.deps.db, token);
    if (record.status !== "PENDING" && record.status !== "STARTED") throw new TaskTimedOut();
    const trigger: Trigger =
      "output" in outcome
        ? { type: "taskSucceeded", taskId: token, output: outcome.output }
        : { type: "taskFailed", taskId: token, error: outcome.error, cause: outcome.cause };
    const result = await this.apply(record.executionArn, record.threadId, trigger, {
      closeToken: { token, status: "output" in outcome ? "SUCCEEDED" : "FAILED" },
    });
    if (!result) throw new TaskTimedOut();
  }

  /**
   * GetActivityTask: hands the oldest waiting task of an activity to a worker, and records that it
   * started. Returns undefined when none is waiting.
   */
  async claimActivityTask(activityArn: string, workerName: string | null): Promise<{ taskToken: string; input: string } | undefined> {
    const claimed = await claimActivityTask(this.deps.db, activityArn, workerName);
    if (!claimed) return undefined;
    await this.apply(claimed.executionArn, claimed.threadId, { type: "taskStarted", taskId: claimed.token });
    const attempt = JSON.parse(claimed.input ?? "{}") as { task?: { input?: Json } };
    return { taskToken: claimed.token, input: JSON.stringify(attempt.task?.input ?? {}) };
  }

  /** SendTaskHeartbeat: pushes the heartbeat deadline back by the state's HeartbeatSeconds. */
  async heartbeatTask(token: string): Promise<void> {
    const { db, settings } = this.deps;
    const record = await getTaskToken(db, token);
    const heartbeatSeconds = heartbeatOf(record.input);
    const now = settings.now();
    const deadline = heartbeatSeconds === undefined ? null : new Date(now.getTime() + heartbeatSeconds * 1000);
    const job = await db.transaction(async (tx) => {
      if (!(await heartbeatTaskToken(tx, token, deadline))) throw new TaskTimedOut();
      if (!deadline) return undefined;
      // A new timer replaces the old one: the old one's delayed job then finds nothing left to fire.
      await cancelTimers(tx, record.executionArn, { threadId: record.threadId, kind: "heartbeat_timeout" });
      const id = `${token}.heartbeat.${now.getTime()}`;
      const trigger = { type: "taskTimedOut" as const, taskId: token, error: "States.HeartbeatTimeout" as const, cause: null };
      await scheduleTimer(tx, {
        id,
        executionArn: record.executionArn,
        threadId: record.threadId,
        kind: "heartbeat_timeout",
        fireAt: deadline,
        payload: trigger,
      });
      return {
        kind: "transition" as const,
        jobId: jobId(record.executionArn, "timer", id),
        data: { executionArn: record.executionArn, threadId: record.threadId, trigger, timerId: id },
        delayMs: deadline.getTime() - now.getTime(),
      };
    });
    if (job) await this.deps.queues.dispatch([job]);
  }
}

function heartbeatOf(input: string | null): number | undefined {
  if (!input) return undefined;
  const parsed = JSON.parse(input) as { task?: { heartbeatSeconds?: number } };
  return parsed.task?.heartbeatSeconds;
}
