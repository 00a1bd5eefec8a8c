/**
 * What each interpreter effect means for the runtime, inside the transition's transaction: rows in
 * Postgres now, and jobs in the outbox for after commit.
 */
import {
  type CompiledMachine,
  childOutput,
  childThreadId,
  describeResource,
  type Effect,
  type MapRunIdentity,
  resultWriterEntry,
  type ThreadPosition,
} from "@stepwise/asl";
import {
  abortDescendantThreads,
  type ClosedExecution,
  getChildResults,
  getThreads,
  listThreads,
  markThreadsRunning,
  scheduleTimer,
  type Transaction,
} from "@stepwise/storage";
import type { Tracing } from "@stepwise/tracing";
import { jobId, type OutboxJob, type TaskJob } from "../queues.ts";
import { ITEM_READER_HANDLER, RESULT_WRITER_HANDLER, resolveResource } from "../resource-map.ts";
import { jobTrace } from "../tracing/execution-spans.ts";
import type { JobTrace } from "../tracing/job-trace.ts";
import type { WriteResultsPayload } from "../worker/dataset-tasks.ts";
import { parentNotice, startChildExecution, stopChildExecutions } from "./child-executions.ts";
import type { DeferredWrites } from "./deferred-writes.ts";
import type { LoadedExecution } from "./execution-cache.ts";
import type { InlineAllowance } from "./inline-tasks.ts";
import { type PendingWork, type TransitionResult, type TransitionSettings, threadStatus } from "./transition.ts";

export interface EffectContext {
  tx: Transaction;
  loaded: LoadedExecution;
  settings: TransitionSettings;
  work: PendingWork[];
  result: TransitionResult;
  threads: Map<string, ThreadPosition>;
  /** Writes nothing reads back, pipelined; the transition waits for them before it commits. */
  writes: DeferredWrites;
  resourceMap: Readonly<Record<string, string>>;
  /** Lambda resources call the Lambda service of AWS_ENDPOINT_URL_LAMBDA (see resource-map.ts). */
  lambdaService?: boolean;
  /** Called in the transaction when the execution ends (concurrency slots, deleted machines); returns jobs to send. */
  onRootFinished: (tx: Transaction, loaded: LoadedExecution, machine: ClosedExecution["machine"]) => Promise<OutboxJob[]>;
  /** Handlers this process may run inside the transaction (see inline-tasks.ts). */
  inline?: InlineAllowance;
  /** A definition compiled (shared with every execution of it): a child execution's first step. */
  compiled: (definition: string) => CompiledMachine;
  /** Set when this process traces (the transition has a span when its execution is traced). */
  tracing?: Tracing;
}

export async function applyEffect(
  ctx: EffectContext,
  threadId: string,
  position: ThreadPosition,
  effect: Effect,
  now: Date,
): Promise<void> {
  const { tx, loaded, result } = ctx;
  const arn = loaded.info.executionArn;
  switch (effect.type) {
    case "runTask": {
      const task = effect.task;
      const target = resolveResource(task, ctx.resourceMap, { lambdaService: ctx.lambdaService === true });
      if (target.kind === "unknown") {
        ctx.work.unshift({ threadId, trigger: { type: "taskFailed", taskId: task.taskId, error: "States.Runtime", cause: target.reason } });
        return;
      }
      const job: TaskJob | null =
        target.kind === "handler"
          ? { executionArn: arn, threadId, handler: target.handler, payload: target.payload, lambdaInvoke: target.lambdaInvoke, task }
          : null;
      const trace = job && sentTrace(ctx);
      if (trace) (job as TaskJob).trace = trace;
      // Not inline: a callback's or job's token, or a heartbeat, must be committed before anyone can use it.
      const tokenInUse = task.taskToken !== undefined || describeResource(task.resource).sync;
      if (job && ctx.inline && !tokenInUse && task.heartbeatSeconds === undefined) {
        const outcome = await ctx.inline.run(job);
        if (outcome) {
          ctx.work.unshift({ threadId, trigger: outcome });
          return;
        }
      }
      ctx.writes.holdToken(arn, {
        token: task.taskId,
        threadId,
        stateName: task.stateName,
        activityArn: target.kind === "activity" ? target.activityArn : null,
        // The whole attempt, so the reconciler can re-enqueue it and heartbeats know their interval.
        input: JSON.stringify(job ?? { task }),
        now,
      });
      if (task.timeoutSeconds !== undefined) {
        await timer(
          ctx,
          threadId,
          `${task.taskId}.timeout`,
          "task_timeout",
          new Date(now.getTime() + task.timeoutSeconds * 1000),
          { type: "taskTimedOut", taskId: task.taskId, error: "States.Timeout", cause: null },
          `Timeout ${task.stateName}`,
        );
      }
      if (task.heartbeatSeconds !== undefined) {
        await timer(
          ctx,
          threadId,
          `${task.taskId}.heartbeat`,
          "heartbeat_timeout",
          new Date(now.getTime() + task.heartbeatSeconds * 1000),
          {
            type: "taskTimedOut",
            taskId: task.taskId,
            error: "States.HeartbeatTimeout",
            cause: null,
          },
          `HeartbeatTimeout ${task.stateName}`,
        );
      }
      if (job) result.outbox.push({ kind: "task", jobId: jobId(task.taskId), data: job });
      return;
    }
    case "readItems":
    case "writeResults": {
      // Object-store I/O: a built-in task run by a worker after the commit, never under the row lock.
      const job = datasetJob(arn, threadId, position, effect);
      const trace = sentTrace(ctx);
      if (trace) job.trace = trace;
      ctx.writes.holdToken(arn, {
        token: job.task.taskId,
        threadId,
        stateName: job.task.stateName,
        activityArn: null,
        input: JSON.stringify(job),
        now,
      });
      result.outbox.push({ kind: "task", jobId: jobId(job.task.taskId), data: job });
      return;
    }
    case "startTimer":
      await timer(
        ctx,
        threadId,
        effect.timerId,
        effect.reason,
        new Date(effect.fireAt),
        { type: "timerFired", timerId: effect.timerId },
        `${effect.reason === "wait" ? "Wait" : "Retry"} ${position.stateName}`,
      );
      return;
    case "fanOut": {
      // Children past MaxConcurrency wait for a slot: WAITING, so the reconciler does not start them early.
      const starting = new Set(effect.start);
      for (const [index, child] of effect.children.entries()) {
        // A retried or redriven fan-out reuses child ids: what this transaction read of them is stale now.
        ctx.threads.set(child.threadId, child);
        ctx.writes.holdThread(arn, {
          threadId: child.threadId,
          position: child as never,
          status: starting.has(index) ? threadStatus(child) : "WAITING",
        });
      }
      for (const index of effect.start) {
        const child = effect.children[index] as ThreadPosition;
        // A distributed Map's item begins here, creating its child execution with this transaction's writes.
        if (child.hidden) ctx.work.push({ threadId: child.threadId, trigger: { type: "run" } });
        else runChild(ctx, child.threadId, position);
      }
      return;
    }
    case "startChildren": {
      const ids = effect.indices.map((index) => childThreadId(position, index));
      ctx.writes.flush(tx);
      if (effect.childExecutions) {
        // Their positions in one read, rather than one each as the work reaches them.
        const unread = ids.filter((id) => !ctx.threads.has(id));
        for (const row of await getThreads(tx, arn, unread)) ctx.threads.set(row.threadId, row.position as unknown as ThreadPosition);
        for (const id of ids) ctx.work.push({ threadId: id, trigger: { type: "run" } });
        return;
      }
      ctx.writes.add(markThreadsRunning(tx, arn, ids));
      for (const id of ids) runChild(ctx, id, position);
      return;
    }
    case "startChildExecution":
      await startChildExecution(ctx, threadId, effect.request, now);
      return;
    case "join": {
      const rows = await getChildResults(tx, arn, fanOutKey(threadId, position.fanOut?.id ?? ""));
      const results = rows.map((r) => (r.output === null ? null : JSON.parse(r.output)));
      const entries = effect.entries ? { entries: await childEntries(ctx, threadId, effect.entries) } : {};
      ctx.work.unshift({ threadId, trigger: { type: "joined", results, ...entries } });
      return;
    }
    case "cancelChildren":
      await cancelDescendants(ctx, threadId, now);
      return;
    case "finished": {
      const parent = position.parent;
      if (!parent) {
        result.finished = effect.outcome;
        const outcome = effect.outcome;
        // Closed with the group's other ended executions, once their rows are written (closing aborts
        // threads and cancels tokens: it must see those held).
        ctx.writes.holdClose({
          arn,
          outcome: {
            status: outcome.status,
            stopDate: now,
            ...(outcome.status === "SUCCEEDED"
              ? { output: JSON.stringify(outcome.output) }
              : { error: outcome.error, cause: outcome.cause }),
          },
          afterClose: async (closed) => {
            // The execution's own ARN too: an Express job running it in memory listens for that.
            result.aborts.push(arn);
            for (const token of closed.cancelledTokens) result.aborts.push(token);
            result.outbox.push(...(await ctx.onRootFinished(tx, loaded, closed.machine)));
            // A child execution tells its parent; a parent stops the children still running.
            const notice = parentNotice(loaded, outcome, now);
            if (notice) result.outbox.push(notice);
            result.outbox.push(...(await stopChildExecutions(tx, loaded, "")));
          },
        });
        return;
      }
      const output = childOutput(effect.outcome);
      const recorded = ctx.writes.holdChildResult({
        executionArn: arn,
        parentThreadId: fanOutKey(parent.threadId, parent.fanOutId),
        childIndex: parent.index,
        status: effect.outcome.status === "TIMED_OUT" ? "FAILED" : effect.outcome.status,
        output: JSON.stringify(output),
        error: effect.outcome.status === "SUCCEEDED" ? null : effect.outcome.error,
        cause: effect.outcome.status === "SUCCEEDED" ? null : effect.outcome.cause,
      });
      ctx.work.push({
        threadId: parent.threadId,
        trigger: { type: "childFinished", index: parent.index, fanOutId: parent.fanOutId, outcome: effect.outcome },
        onlyIf: recorded,
      });
      return;
    }
  }
}

/** The built-in task that reads a distributed Map's items or writes its results (see worker/dataset-tasks.ts). */
function datasetJob(
  executionArn: string,
  threadId: string,
  position: ThreadPosition,
  effect: Extract<Effect, { type: "readItems" | "writeResults" }>,
): TaskJob {
  const reading = effect.type === "readItems";
  const payload = reading
    ? (effect.request as never)
    : ({ request: effect.request, run: effect.run, mapThreadId: threadId } satisfies WriteResultsPayload as never);
  return {
    executionArn,
    threadId,
    handler: reading ? ITEM_READER_HANDLER : RESULT_WRITER_HANDLER,
    payload,
    lambdaInvoke: false,
    task: {
      taskId: effect.taskId,
      stateName: position.stateName,
      resource: effect.request.resource,
      resourceType: "states",
      resourceName: reading ? "itemReader" : "resultWriter",
      input: payload,
    },
  };
}

/** ResultWriter entries of a Map's children, from their threads (read in the transaction: no I/O but Postgres). */
async function childEntries(ctx: EffectContext, threadId: string, run: MapRunIdentity) {
  ctx.writes.flush(ctx.tx);
  const rows = await listThreads(ctx.tx, ctx.loaded.info.executionArn);
  return mapRunChildren(
    rows.map((r) => (ctx.threads.get(r.threadId) ?? r.position) as ThreadPosition),
    threadId,
    run,
  ).map(({ index, child }) => resultWriterEntry(run, index, child));
}

/** The children of one Map Run's fan-out, in index order. */
export function mapRunChildren(
  threads: readonly ThreadPosition[],
  mapThreadId: string,
  run: MapRunIdentity,
): Array<{ index: number; child: ThreadPosition }> {
  return threads
    .filter((t) => t.parent?.threadId === mapThreadId && t.parent.fanOutId === run.runId)
    .map((child) => ({ index: child.parent?.index ?? 0, child }))
    .sort((a, b) => a.index - b.index);
}

/**
 * Child results are kept per fan-out, not per parent thread: one thread fans out again and again
 * (Parallel then Map, a retried Map), and each time its children have indices from 0.
 */
export function fanOutKey(parentThreadId: string, fanOutId: string): string {
  return `${parentThreadId}@${fanOutId}`;
}

/**
 * A child starts in its own job, so items and branches spread over every worker. The job id names the
 * fan-out and the redrive: a retried or redriven Map starts children of the same ids, and BullMQ drops
 * a job whose id it still holds.
 */
function runChild(ctx: EffectContext, childId: string, parent: ThreadPosition): void {
  const { executionArn: arn, redriveCount } = ctx.loaded.info;
  ctx.result.outbox.push({
    kind: "transition",
    jobId: jobId(arn, childId, "run", parent.fanOut?.id ?? "", String(redriveCount)),
    data: { executionArn: arn, threadId: childId, trigger: { type: "run" } },
  });
}

async function timer(
  ctx: EffectContext,
  threadId: string,
  id: string,
  kind: Parameters<typeof scheduleTimer>[1]["kind"],
  fireAt: Date,
  trigger: PendingWork["trigger"],
  spanName: string,
): Promise<void> {
  const arn = ctx.loaded.info.executionArn;
  ctx.writes.add(scheduleTimer(ctx.tx, { id, executionArn: arn, threadId, kind, fireAt, payload: trigger as never }));
  const trace = sentTrace(ctx, spanName);
  ctx.result.outbox.push({
    kind: "transition",
    jobId: jobId(arn, "timer", id),
    data: { executionArn: arn, threadId, trigger, timerId: id, ...(trace ? { trace } : {}) },
    delayMs: Math.max(0, fireAt.getTime() - ctx.settings.now().getTime()),
  });
}

/**
 * A failed Map or Parallel gives up on its other children: every running descendant is marked aborted,
 * its timers and tokens are dropped (one statement, whatever their number: see abortDescendantThreads),
 * and handlers still running for them are signalled.
 */
async function cancelDescendants(ctx: EffectContext, parentId: string, now: Date): Promise<void> {
  const arn = ctx.loaded.info.executionArn;
  const prefix = parentId === "" ? "" : `${parentId}/`;
  const isDescendant = (threadId: string) => threadId !== parentId && threadId.startsWith(prefix);
  // The statement must see the positions held (a fan-out's children written in this transaction).
  ctx.writes.flush(ctx.tx);
  const cancelled = await abortDescendantThreads(ctx.tx, arn, parentId, now);
  for (const token of cancelled) ctx.result.aborts.push(token);
  ctx.result.outbox.push(...(await stopChildExecutions(ctx.tx, ctx.loaded, prefix)));
  // What this transaction holds of them in memory ends as the statement wrote them.
  for (const [threadId, position] of ctx.threads) {
    if (isDescendant(threadId) && position.phase !== "done") {
      ctx.threads.set(threadId, { ...position, phase: "done", outcome: { status: "ABORTED", error: null, cause: null } });
    }
  }
  // Work left for a descendant would find it done and be skipped: dropped now.
  const kept = ctx.work.filter((w) => !isDescendant(w.threadId));
  ctx.work.length = 0;
  for (const w of kept) ctx.work.push(w);
}

/** What a job this transition sends carries of its trace; undefined (nothing) when it is not traced. */
function sentTrace(ctx: EffectContext, spanName?: string): JobTrace | undefined {
  const { span } = ctx.result;
  const { trace } = ctx.loaded;
  return span && trace ? jobTrace(trace, span, spanName) : undefined;
}
