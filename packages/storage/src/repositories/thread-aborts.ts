/**
 * A failed or stopped Map or Parallel gives up on its children: every descendant thread still under way
 * is marked done (ABORTED), its unfired timers dropped and its open task tokens cancelled, in one
 * statement whatever the number of descendants. Listing them to abort one by one held a 100,000-item
 * Map's positions in memory, ran a timer statement per thread and bound a parameter per thread.
 */
import type { Executor } from "../connection.ts";
import { runSqlText } from "../sql-text.ts";

/** The outcome an aborted thread's position ends with (the interpreter's `done` phase). */
const ABORTED_POSITION = JSON.stringify({ phase: "done", outcome: { status: "ABORTED", error: null, cause: null } });

/**
 * Aborts the descendants of `parentThreadId` (every other thread for the root, ""), as committed or
 * written earlier in the transaction; returns the task tokens cancelled, whose handlers are to be signalled.
 */
export async function abortDescendantThreads(
  db: Executor,
  executionArn: string,
  parentThreadId: string,
  now: Date = new Date(),
): Promise<string[]> {
  const prefix = parentThreadId === "" ? "" : `${parentThreadId}/`;
  const rows = await runSqlText<{ token: string }>(db, ABORT_DESCENDANTS, [
    executionArn,
    parentThreadId,
    prefix,
    ABORTED_POSITION,
    now.toISOString(),
  ]);
  return rows.map((row) => row.token);
}

// The phase, not the status, says whether a thread is done: the status of an execution's threads is
// ABORTED once it closed, whatever their phase. Versions move as for any write of a position.
const ABORT_DESCENDANTS = `
  with aborted as (
    update execution_threads th
    set position = th.position || $4::jsonb, status = 'ABORTED', version = th.version + 1, updated_at = now()
    where th.execution_arn = $1 and th.thread_id <> $2 and starts_with(th.thread_id, $3)
      and th.position->>'phase' is distinct from 'done'
    returning th.thread_id),
  timers_dropped as (
    delete from timers t using aborted
    where t.execution_arn = $1 and t.thread_id = aborted.thread_id and not t.fired),
  tokens_cancelled as (
    update task_tokens k set status = 'CANCELLED', closed_at = $5::timestamptz
    from aborted
    where k.execution_arn = $1 and k.thread_id = aborted.thread_id and k.status in ('PENDING', 'STARTED')
    returning k.token)
  select token from tokens_cancelled`;
