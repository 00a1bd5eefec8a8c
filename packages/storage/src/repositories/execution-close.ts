/**
 * An execution ends: its row closed with the outcome, its unfired timers dropped, its open threads
 * aborted and its open task tokens cancelled, in one statement — the end of every execution was five
 * statements, each with a round trip and the query builder's work. Each part is a data-modifying WITH on
 * its own table; the statement also reads what the runtime does next with the machine (a concurrency
 * limit frees a slot, a DELETING machine may be purged).
 */
import type { Executor } from "../connection.ts";
import type { Tag } from "../schema/tags.ts";
import { runSqlText } from "../sql-text.ts";
import type { ExecutionOutcome } from "./executions.ts";

export interface ClosedExecution {
  /** False when it was no longer RUNNING (another writer closed it first); nothing else then changed. */
  closed: boolean;
  /** Tokens of tasks still open, now CANCELLED: their running handlers are to be signalled. */
  cancelledTokens: string[];
  /** Its state machine's status and tags, undefined once the machine is purged. */
  machine?: { status: string; tags: Tag[] };
}

export async function closeExecution(db: Executor, arn: string, close: ExecutionOutcome): Promise<ClosedExecution> {
  const stopDate = close.stopDate.toISOString();
  const [row] = await runSqlText<{ closed: boolean; cancelledTokens: string[]; machineStatus: string | null; machineTags: Tag[] | null }>(
    db,
    CLOSE_EXECUTION,
    [arn, close.status, stopDate, close.output ?? null, close.error ?? null, close.cause ?? null],
  );
  return {
    closed: row?.closed ?? false,
    cancelledTokens: row?.cancelledTokens ?? [],
    ...(row?.machineStatus ? { machine: { status: row.machineStatus, tags: row.machineTags ?? [] } } : {}),
  };
}

// Every part but the first changes something only when the first closed the execution.
const CLOSE_EXECUTION = `
  with closed as (
    update executions set status = $2, stop_date = $3::timestamptz, output = $4, error = $5, cause = $6, version = version + 1
    where arn = $1 and status = 'RUNNING'
    returning state_machine_arn),
  timers_dropped as (
    delete from timers where execution_arn = $1 and not fired and exists (select 1 from closed)),
  threads_aborted as (
    update execution_threads set status = 'ABORTED', updated_at = now()
    where execution_arn = $1 and status in ('RUNNING', 'WAITING') and exists (select 1 from closed)),
  tokens_cancelled as (
    update task_tokens set status = 'CANCELLED', closed_at = $3::timestamptz
    where execution_arn = $1 and status in ('PENDING', 'STARTED') and exists (select 1 from closed)
    returning token)
  select exists (select 1 from closed) as closed,
    array(select token from tokens_cancelled) as "cancelledTokens",
    m.status as "machineStatus", m.tags as "machineTags"
  from executions e left join state_machines m on m.arn = e.state_machine_arn
  where e.arn = $1`;
