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
  const [closed] = await closeExecutions(db, [{ arn, outcome: close }]);
  return closed as ClosedExecution;
}

/** Several executions ending in one transaction (a group commit's members), in one statement; results in order. */
export async function closeExecutions(
  db: Executor,
  closes: readonly { arn: string; outcome: ExecutionOutcome }[],
): Promise<ClosedExecution[]> {
  const rows = await runSqlText<{
    arn: string;
    closed: boolean;
    cancelledTokens: string[];
    machineStatus: string | null;
    machineTags: Tag[] | null;
  }>(db, CLOSE_EXECUTIONS, [
    JSON.stringify(
      closes.map(({ arn, outcome }) => ({
        arn,
        status: outcome.status,
        stop: outcome.stopDate.toISOString(),
        output: outcome.output ?? null,
        error: outcome.error ?? null,
        cause: outcome.cause ?? null,
      })),
    ),
  ]);
  const byArn = new Map(rows.map((row) => [row.arn, row]));
  return closes.map(({ arn }) => {
    const row = byArn.get(arn);
    return {
      closed: row?.closed ?? false,
      cancelledTokens: row?.cancelledTokens ?? [],
      ...(row?.machineStatus ? { machine: { status: row.machineStatus, tags: row.machineTags ?? [] } } : {}),
    };
  });
}

// Every part but the first changes something only for the executions the first closed.
const CLOSE_EXECUTIONS = `
  with c as (
    select * from json_to_recordset($1::json) as c(arn text, status text, stop timestamptz, output text, error text, cause text)),
  closed as (
    update executions e set status = c.status, stop_date = c.stop, output = c.output, error = c.error, cause = c.cause,
      version = e.version + 1
    from c where e.arn = c.arn and e.status = 'RUNNING'
    returning e.arn),
  timers_dropped as (
    delete from timers t using closed where t.execution_arn = closed.arn and not t.fired),
  threads_aborted as (
    update execution_threads th set status = 'ABORTED', updated_at = now()
    from closed where th.execution_arn = closed.arn and th.status in ('RUNNING', 'WAITING')),
  tokens_cancelled as (
    update task_tokens k set status = 'CANCELLED', closed_at = c.stop
    from closed join c on c.arn = closed.arn
    where k.execution_arn = closed.arn and k.status in ('PENDING', 'STARTED')
    returning k.execution_arn, k.token)
  select c.arn, exists (select 1 from closed where closed.arn = c.arn) as closed,
    array(select token from tokens_cancelled t where t.execution_arn = c.arn) as "cancelledTokens",
    m.status as "machineStatus", m.tags as "machineTags"
  from c join executions e on e.arn = c.arn left join state_machines m on m.arn = e.state_machine_arn`;
