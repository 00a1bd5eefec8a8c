/**
 * One execution's part of a transaction: holding the execution row's lock (taken, with the threads and
 * guards, by transition-group.ts), apply triggers to threads, then everything that follows from them
 * without the outside world (children finishing, joins, parents moving on), holding events, threads,
 * timers and task rows for the group's write. Jobs for other processes go to the outbox and are sent
 * after commit. This and transition-group.ts are the only code that changes an execution's state, so
 * exactly-once is reasoned about here:
 *  - the row lock serialises all writers of one execution, and history ids come from that row;
 *  - the interpreter ignores stale triggers (task and timer ids that are no longer awaited);
 *  - child results, timers and task tokens are recorded once (unique keys), and only the writer that
 *    recorded them acts on them (a child's result guards its parent's work: `PendingWork.onlyIf`).
 */
import {
  advance,
  type Effect,
  type HistoryEvent,
  type HistoryEventType,
  type ThreadOutcome,
  type ThreadPosition,
  type Trigger,
} from "@stepwise/asl";
import { type ClosedTaskTokenStatus, getThread, type LockedExecutionThreads, type ThreadStatus, type Transaction } from "@stepwise/storage";
import type { Tracing } from "@stepwise/tracing";
import type { LoggedEvents } from "../execution-logs/execution-log.ts";
import type { OutboxJob } from "../queues.ts";
import { transitionSpan } from "../tracing/execution-spans.ts";
import type { TransitionSpan } from "../tracing/job-trace.ts";
import type { DeferredWrites } from "./deferred-writes.ts";
import { applyEffect, type EffectContext } from "./effects.ts";
import type { LoadedExecution } from "./execution-cache.ts";
import type { InlineAllowance } from "./inline-tasks.ts";
import { StepRandom, stepPlace } from "./step-random.ts";

export interface TransitionSettings {
  maxPayloadBytes: number;
  /** How long one expression evaluation may hold the process (the core's default when absent). */
  expressionTimeoutMs?: number;
  maxHistoryEvents: number;
  random: () => number;
  now: () => Date;
}

export interface PendingWork {
  threadId: string;
  trigger: Trigger;
  /**
   * Applies only if this resolves true when the work is taken: a child's result recorded by this
   * transaction. Results are held until the first such work is taken, then sent together, so the
   * children of one group (a Map's items finishing together) cost one statement, not one each.
   */
  onlyIf?: Promise<boolean>;
}

/** A trigger from outside the transaction, with what must still hold for it to apply. */
export interface GuardedTrigger extends PendingWork {
  guards: TransitionGuards;
}

/** A condition checked under the execution lock before the trigger applies; at most one per trigger. */
export type TransitionGuards =
  /** A durable timer firing: applies only for the caller that marks it fired. */
  | { timerId: string; closeToken?: undefined }
  /** A task outcome: applies only for the caller that closes the task's token. */
  | { closeToken: { token: string; status: ClosedTaskTokenStatus }; timerId?: undefined }
  | { timerId?: undefined; closeToken?: undefined };

/** What the engine lends each transition: resource mapping, what follows an execution's end, inline task runs. */
export interface TransitionHooks extends Pick<EffectContext, "onRootFinished" | "resourceMap" | "compiled" | "lambdaService"> {
  /** A fresh allowance for one execution's transition, when this process runs tasks inline. */
  inline?: () => InlineAllowance | undefined;
  /** Set when this process traces: transitions of traced executions draw a span. */
  tracing?: Tracing;
}

/** What the transaction read for one execution under its lock, before it applies anything. */
export interface LockedMember {
  /** The execution row, with the committed positions of the requests' threads. */
  locked: LockedExecutionThreads;
  /** For each request: whether its guard held (it marked its timer fired, closed its token). */
  held: boolean[];
}

export interface TransitionResult {
  /** False when no request applied any more (execution closed, timer or token already used). */
  applied: boolean;
  /** For each request: whether it applied. */
  appliedRequests: boolean[];
  outbox: OutboxJob[];
  /** Task ids whose running handlers must be signalled to stop. */
  aborts: string[];
  /** The execution ended in this transaction. */
  finished?: ThreadOutcome;
  /** Events appended, for metrics. */
  eventCount: number;
  /** Their types in order, for metrics (states entered by type, timeouts). */
  eventTypes: HistoryEventType[];
  /** Retries a Retrier scheduled, for metrics. */
  retries: number;
  /** Time spent appending history events, for the history write latency metric. */
  historyWriteMs: number;
  /** When the execution started (ISO 8601), so its duration is known when it finishes. */
  startTime: string;
  /** The events appended, when the execution's state machine logs executions (logged once committed). */
  logged?: LoggedEvents;
  /** The transition's span, when the execution is traced (recorded once committed). */
  span?: TransitionSpan;
}

/**
 * Applies `requests` (triggers of one execution, in order, already read under its lock by the group; see
 * transition-group.ts) and everything that follows from them. Several at once share the lock, the
 * statements and one history append: a Map's items finishing together. The rows it adds are held in
 * `writes`, which the group flushes.
 */
export async function applyRequests(
  tx: Transaction,
  loaded: LoadedExecution,
  requests: readonly GuardedTrigger[],
  { locked, held }: LockedMember,
  settings: TransitionSettings,
  hooks: TransitionHooks,
  writes: DeferredWrites,
): Promise<TransitionResult> {
  const arn = loaded.info.executionArn;
  // The cached facts may predate a redrive by another process; under the lock the count is current.
  loaded.info.redriveCount = locked.redriveCount;
  const result: TransitionResult = {
    applied: false,
    appliedRequests: requests.map(() => false),
    outbox: [],
    aborts: [],
    eventCount: 0,
    eventTypes: [],
    retries: 0,
    historyWriteMs: 0,
    startTime: loaded.info.startTime,
  };
  // Closing an execution cancels its open tokens and unfired timers, so on one that is no longer RUNNING
  // the guards changed nothing.
  if (locked.status !== "RUNNING" || !held.some(Boolean)) return result;
  if (hooks.tracing && loaded.trace) {
    const first = locked.threads.get((requests[0] as GuardedTrigger).threadId) as { stateName?: string } | undefined;
    result.span = transitionSpan(hooks.tracing, first?.stateName);
  }
  let nextEventId = locked.nextEventId;
  const events: HistoryEvent[] = [];
  // A request applies when its work item is taken (an earlier one may end the execution first).
  const requestOf = new Map<PendingWork, number>();
  // AWS: once a state machine is being deleted, its executions are stopped at their next transition.
  const work: PendingWork[] =
    locked.stateMachineStatus === "DELETING"
      ? [
          {
            threadId: "",
            trigger: { type: "abort", error: "States.Runtime", cause: "The state machine was deleted while this execution was running." },
          },
        ]
      : requests.flatMap((request, index) => {
          if (!held[index]) return [];
          const item: PendingWork = { threadId: request.threadId, trigger: request.trigger };
          requestOf.set(item, index);
          return [item];
        });
  // Deleting: the requests are answered by the stop, which applies whatever they were.
  if (work[0] && !requestOf.has(work[0])) result.appliedRequests = held;
  const ctx: EffectContext = {
    tx,
    loaded,
    settings,
    work,
    result,
    threads: new Map(),
    writes,
    resourceMap: hooks.resourceMap,
    lambdaService: hooks.lambdaService === true,
    onRootFinished: hooks.onRootFinished,
    compiled: hooks.compiled,
    inline: hooks.inline?.(),
    tracing: hooks.tracing,
  };
  // The requests' threads as committed, read under the lock. ctx.threads is then what this transaction
  // last wrote of each thread: every write of a position goes there too (a fan-out's new children).
  for (const [threadId, position] of locked.threads) ctx.threads.set(threadId, position as unknown as ThreadPosition);
  while (work.length > 0 && !result.finished) {
    const item = work.shift() as PendingWork;
    const request = requestOf.get(item);
    if (request !== undefined) result.appliedRequests[request] = true;
    if (item.onlyIf) {
      writes.sendChildResults(tx);
      if (!(await item.onlyIf)) continue;
    }
    let position = ctx.threads.get(item.threadId);
    if (!position) {
      writes.flush(tx);
      const row = await getThread(tx, arn, item.threadId);
      position = row?.position as ThreadPosition | undefined;
    }
    if (!position || position.phase === "done") continue;
    const stepNow = settings.now();
    // Run again after a rollback, the same step draws the same ids (a handler run inline meets the same task id).
    const drawing = loaded.idSeed === null ? undefined : new StepRandom(loaded.idSeed, stepPlace(position, loaded.info.redriveCount));
    const step = await advance(
      loaded.machine,
      position,
      item.trigger,
      {
        now: stepNow,
        random: drawing?.random ?? settings.random,
        nextEventId,
        maxPayloadBytes: settings.maxPayloadBytes,
        expressionTimeoutMs: settings.expressionTimeoutMs,
        maxHistoryEvents: settings.maxHistoryEvents,
        // A distributed Map's items run as child executions of their own (effects.ts creates them).
        childExecutions: true,
      },
      loaded.info,
    );
    if (step.events.length > 0) {
      events.push(...step.events);
      nextEventId += step.events.length;
      result.eventCount += step.events.length;
      for (const event of step.events) result.eventTypes.push(event.type);
    }
    // The thread's next drawing step draws afresh; one that drew nothing leaves the count, so steps that
    // come in a different order the next time (siblings finishing, stale reports) change nothing.
    if (drawing?.drew) step.position.draws = (position.draws ?? 0) + 1;
    ctx.threads.set(item.threadId, step.position);
    if (result.span && step.position.stateName !== result.span.states.at(-1)) result.span.states.push(step.position.stateName);
    writes.holdThread(arn, { threadId: item.threadId, position: step.position as never, status: threadStatus(step.position) });
    for (const effect of step.effects) {
      if (effect.type === "startTimer" && effect.reason === "retry") result.retries += 1;
      await applyEffect(ctx, item.threadId, step.position, effect as Effect, stepNow);
    }
    // A step stops after a bounded number of states (a Pass/Choice loop); the thread goes on in the next
    // round. One that a late report left where it was (a child execution's item waiting to begin) stays.
    const stopped = step.position.phase === "enter" || step.position.phase === "begin";
    if (stopped && (item.trigger.type === "run" || step.position.phase !== position.phase || step.events.length > 0))
      work.push({ threadId: item.threadId, trigger: { type: "run" } });
    if (nextEventId > settings.maxHistoryEvents && !result.finished) {
      // AWS fails an execution whose history reaches the limit; nothing else of it runs.
      work.length = 0;
      work.push({
        threadId: "",
        trigger: {
          type: "fail",
          error: "States.Runtime",
          cause: `The execution reached the maximum number of history events (${settings.maxHistoryEvents}).`,
        },
      });
    }
  }
  result.applied = result.appliedRequests.some(Boolean);
  // Events once per transition rather than per step (nothing in a transition reads the history back).
  writes.holdEvents(arn, events);
  if (loaded.logging && events.length > 0)
    result.logged = { executionArn: arn, redriveCount: loaded.info.redriveCount, settings: loaded.logging, events };
  return result;
}

export function threadStatus(position: ThreadPosition): ThreadStatus {
  if (position.phase === "done") {
    const status = position.outcome?.status;
    return status === "SUCCEEDED" ? "SUCCEEDED" : status === "FAILED" || status === "TIMED_OUT" ? "FAILED" : "ABORTED";
  }
  return position.phase === "enter" || position.phase === "begin" || position.phase === "resume" ? "RUNNING" : "WAITING";
}
