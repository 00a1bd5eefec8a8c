/**
 * Postgres says what must happen next; Redis only carries the hint. After a Redis restart or flush (or a
 * crash between a commit and its enqueue), the reconciler finds threads ready to run and handler tasks
 * whose job is gone, and enqueues them again. Repeats are harmless: the engine ignores stale work.
 */
import { listStalePendingTasks, listStaleThreads } from "@stepwise/storage";
import { jobId, type TaskJob } from "../queues.ts";
import type { Runtime } from "../runtime.ts";

export interface ReconcileReport {
  threads: number;
  tasks: number;
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
    const queue = runtime.queues.taskQueue(job.handler);
    const existing = await queue.getJob(jobId(token.token));
    const state = existing ? await existing.getState() : "missing";
    if (state === "waiting" || state === "active" || state === "delayed" || state === "prioritized" || state === "waiting-children") continue;
    if (existing) await existing.remove().catch(() => undefined);
    await runtime.queues.dispatch([{ kind: "task", jobId: jobId(token.token), data: job }]);
    tasks += 1;
  }
  return { threads: threads.length, tasks };
}
