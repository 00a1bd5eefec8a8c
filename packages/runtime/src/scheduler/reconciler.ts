/**
 * Postgres says what must happen next; Redis only carries the hint. After a Redis restart or flush (or a
 * crash between a commit and its enqueue), the reconciler finds threads ready to run, handler tasks and
 * Express executions whose job is gone, and nested executions whose parent was never told, and puts
 * them back on track. Repeats are harmless: the engine ignores stale work.
 */

import type { ThreadOutcome } from "@stepwise/asl";
import {
  type ExecutionRecord,
  getExecution,
  listOrphanedChildren,
  listRunningExpressExecutions,
  listStalePendingTasks,
  listStaleThreads,
  listUntoldChildEnds,
  listWaitingTasks,
} from "@stepwise/storage";
import type { Queue } from "bullmq";
import { executionArn } from "../arns.ts";
import { jobId, type TaskJob } from "../queues.ts";
import { NESTED_EXECUTION_HANDLER } from "../resource-map.ts";
import type { Runtime } from "../runtime.ts";

export interface ReconcileReport {
  threads: number;
  tasks: number;
  express: number;
  nested: number;
  /** Map Run children whose end their parent had not heard of, and children left running by a parent that had let them go. */
  children: number;
}

export async function reconcile(runtime: Runtime, staleAfterMs: number, batch = 500): Promise<ReconcileReport> {
  const olderThan = new Date(Date.now() - staleAfterMs);
  const threads = await listStaleThreads(runtime.db, "RUNNING", olderThan, batch);
  await runtime.queues.dispatch(
    threads.map((t) => ({
      kind: "transition" as const,
      jobId: jobId(t.executionArn, t.threadId, "reconcile", String(t.version)),
      data: { executionArn: t.executionArn, threadId: t.threadId, trigger: { type: "run" as const } },
    })),
  );
  let tasks = 0;
  for (const token of await listStalePendingTasks(runtime.db, olderThan, batch)) {
    if (!token.input) continue;
    const job = JSON.parse(token.input) as TaskJob;
    if (!job.handler || (await jobAlive(runtime.queues.taskQueue(job.handler), jobId(token.token)))) continue;
    // A worker runs it without a job (worker/local-tasks.ts).
    if (await runtime.leases.alive(token.token)) continue;
    await runtime.queues.dispatch([{ kind: "task", jobId: jobId(token.token), data: job }]);
    tasks += 1;
  }
  let express = 0;
  for (const execution of await listRunningExpressExecutions(runtime.db, olderThan, batch)) {
    if (await jobAlive(runtime.queues.express, jobId(execution.arn, "express"))) continue;
    await runtime.queues.dispatch([{ kind: "express", jobId: jobId(execution.arn, "express"), data: { executionArn: execution.arn } }]);
    express += 1;
  }
  return {
    threads: threads.length,
    tasks,
    express,
    nested: await notifyNestedParents(runtime, olderThan, batch),
    children: await reconcileChildExecutions(runtime, olderThan, batch),
  };
}

/**
 * A distributed Map's child executions whose job was lost between a commit and its enqueue: an end the
 * parent never heard of is told again (the item's thread still waits for it, with the same redrive
 * count), and a child its parent let go of (ended, or gave up on the Map Run) is stopped.
 */
async function reconcileChildExecutions(runtime: Runtime, olderThan: Date, batch: number): Promise<number> {
  const ends = await listUntoldChildEnds(runtime.db, olderThan, batch);
  const orphans = await listOrphanedChildren(runtime.db, olderThan, batch);
  await runtime.queues.dispatch([
    ...ends.map((end) => ({
      kind: "transition" as const,
      jobId: jobId(end.parentExecutionArn, end.parentThreadId, "ended", String(end.redriveCount), "reconcile"),
      data: {
        executionArn: end.parentExecutionArn,
        threadId: end.parentThreadId,
        trigger: {
          type: "childExecutionEnded" as const,
          outcome: outcomeOf(end),
          redriveCount: end.redriveCount,
          stopDate: end.stopDate.toISOString(),
        },
      },
    })),
    ...orphans.map((arn) => ({
      kind: "transition" as const,
      jobId: jobId(arn, "", "parent-stopped", "reconcile"),
      data: { executionArn: arn, threadId: "", trigger: { type: "abort" as const, error: null, cause: null } },
    })),
  ]);
  return ends.length + orphans.length;
}

/** Whether a job is still queued or running; a finished or failed one is removed so it can be added again. */
async function jobAlive(queue: Queue, id: string): Promise<boolean> {
  const existing = await queue.getJob(id);
  if (!existing) return false;
  const state = await existing.getState();
  if (state === "waiting" || state === "active" || state === "delayed" || state === "prioritized" || state === "waiting-children")
    return true;
  await existing.remove().catch(() => undefined);
  return false;
}

/** A `.sync` child that ended while its parent was not told (a crash right after its last commit). */
async function notifyNestedParents(runtime: Runtime, olderThan: Date, batch: number): Promise<number> {
  let notified = 0;
  for (const token of await listWaitingTasks(runtime.db, olderThan, batch)) {
    const job = JSON.parse(token.input ?? "{}") as Partial<TaskJob>;
    const params = job.payload as { StateMachineArn?: unknown; Name?: unknown } | undefined;
    if (job.handler !== NESTED_EXECUTION_HANDLER || typeof params?.StateMachineArn !== "string") continue;
    const childArn = executionArn(params.StateMachineArn, typeof params.Name === "string" ? params.Name : token.token);
    const child = await getExecution(runtime.db, childArn).catch(() => undefined);
    if (!child || child.status === "RUNNING") continue;
    await runtime.engine.completeParentTask(token.token, childArn, outcomeOf(child));
    notified += 1;
  }
  return notified;
}

function outcomeOf(child: Pick<ExecutionRecord, "status" | "output" | "error" | "cause">): ThreadOutcome {
  if (child.status === "SUCCEEDED") return { status: "SUCCEEDED", output: JSON.parse(child.output ?? "null") };
  const status = child.status === "TIMED_OUT" ? "TIMED_OUT" : child.status === "ABORTED" ? "ABORTED" : "FAILED";
  return { status, error: child.error, cause: child.cause };
}
