/**
 * A distributed Map's child workflow executions: executions of their own (ARN, history, threads), created
 * by their parent's transition in bulk and linked to it (the Map Run, the parent's thread for the item),
 * so the parent hears of their ends and stops them when it gives up.
 */
import type { Executor } from "../connection.ts";
import type { ExecutionStatus } from "../schema/executions.ts";
import { runSqlText } from "../sql-text.ts";
import { executionRecordFields, firstRows } from "./execution-insert.ts";
import { asDuplicateEvent, executionRowsParts, type Param } from "./execution-rows.ts";
import type { NewExecution } from "./executions.ts";

/** A child's scope is its parent's, read by the insert. */
export interface NewChildExecution
  extends Omit<NewExecution, "timers" | "queued" | "parentTaskToken" | "stateMachineAliasArn" | "stateMachineVersionArn" | "scope"> {
  mapRunArn: string;
  parentExecutionArn: string;
  parentThreadId: string;
}

/**
 * Writes child executions with their first events and root threads in one statement; returns the ARNs
 * created now. One that exists already (the parent's transition run again) is left as it was. Unlike
 * StartExecution's write, no state machine row is read: a child's machine is its Map Run's.
 */
export async function createChildExecutions(db: Executor, inputs: readonly NewChildExecution[]): Promise<Set<string>> {
  if (inputs.length === 0) return new Set();
  const rows = inputs.map(firstRows);
  const params: Param[] = [
    JSON.stringify(
      inputs.map((input) => ({
        ...executionRecordFields(input),
        run: input.mapRunArn,
        parent: input.parentExecutionArn,
        thread: input.parentThreadId,
      })),
    ),
  ];
  const parts = executionRowsParts(rows, params, "a in (select arn from inserted)");
  const text = `
    with inserted as (
      insert into executions (arn, state_machine_arn, name, input, definition, role_arn, start_date, trace_header, trace_context, id_seed, scope,
        map_run_arn, parent_execution_arn, parent_thread_id)
      -- A child acts for the credential its parent acts for: what it starts must fit the same scope.
      select n.arn, n.sm, n.name, n.input, n.definition, n.role, n.start, n.trace, n.tctx, n.seed,
        (select p.scope from executions p where p.arn = n.parent), n.run, n.parent, n.thread
      from json_to_recordset($1::json) as n(arn text, sm text, name text, input text, definition text, role text, start timestamptz,
        trace text, tctx text, seed text, run text, parent text, thread text)
      on conflict do nothing
      returning arn),
    ${parts.ctes.join(", ")}
    select (select coalesce(json_agg(arn), '[]') from inserted)::text as created`;
  try {
    const [row] = await runSqlText<{ created: string }>(db, text, params);
    return new Set(JSON.parse(row?.created ?? "[]") as string[]);
  } catch (error) {
    throw asDuplicateEvent(error, rows);
  }
}

export interface ChildExecutionLink {
  arn: string;
  status: ExecutionStatus;
  redriveCount: number;
  parentExecutionArn: string;
  parentThreadId: string;
}

/**
 * The running children of a parent, of the threads under `threadPrefix` (a Map state's thread: "" is the
 * whole execution): those to stop when the parent gives up on them.
 */
export async function runningChildExecutions(db: Executor, parentExecutionArn: string, threadPrefix = ""): Promise<string[]> {
  const rows = await runSqlText<{ arn: string }>(
    db,
    `select arn from executions where parent_execution_arn = $1 and starts_with(parent_thread_id, $2) and status = 'RUNNING'`,
    [parentExecutionArn, threadPrefix],
  );
  return rows.map((r) => r.arn);
}

export interface ChildExecutionEnd extends ChildExecutionLink {
  output: string | null;
  error: string | null;
  cause: string | null;
  stopDate: Date;
}

/**
 * Children that ended more than `olderThan` ago while their parent's thread for them still waits: the
 * job telling the parent was lost (Redis flushed, a crash between commit and enqueue).
 */
export async function listUntoldChildEnds(db: Executor, olderThan: Date, limit: number): Promise<ChildExecutionEnd[]> {
  const rows = await runSqlText<{
    arn: string;
    status: ExecutionStatus;
    redrive_count: number;
    parent_execution_arn: string;
    parent_thread_id: string;
    output: string | null;
    error: string | null;
    cause: string | null;
    stop_date: string;
  }>(
    db,
    `select c.arn, c.status, c.redrive_count, c.parent_execution_arn, c.parent_thread_id, c.output, c.error, c.cause, c.stop_date::text
     from execution_threads t
     join executions c on c.parent_execution_arn = t.execution_arn and c.parent_thread_id = t.thread_id
     where t.status = 'WAITING' and t.position->>'phase' = 'awaitExecution' and t.updated_at < $1::timestamptz
       and c.status not in ('RUNNING', 'PENDING_REDRIVE') and c.stop_date < $1::timestamptz
       and c.redrive_count = coalesce((t.position->'childRun'->>'redriveCount')::int, 0)
     limit $2`,
    [olderThan.toISOString(), limit],
  );
  return rows.map((r) => ({
    arn: r.arn,
    status: r.status,
    redriveCount: r.redrive_count,
    parentExecutionArn: r.parent_execution_arn,
    parentThreadId: r.parent_thread_id,
    output: r.output,
    error: r.error,
    cause: r.cause,
    stopDate: new Date(r.stop_date),
  }));
}

/**
 * Children still running, started more than `olderThan` ago, whose parent no longer waits for them (it
 * ended, or gave up on their Map Run): the job stopping them was lost.
 */
export async function listOrphanedChildren(db: Executor, olderThan: Date, limit: number): Promise<string[]> {
  const rows = await runSqlText<{ arn: string }>(
    db,
    `select c.arn from executions c
     join executions p on p.arn = c.parent_execution_arn
     left join execution_threads t on t.execution_arn = c.parent_execution_arn and t.thread_id = c.parent_thread_id
     where c.parent_execution_arn is not null and c.status = 'RUNNING' and c.start_date < $1::timestamptz
       and (p.status <> 'RUNNING' or t.thread_id is null or t.position->>'phase' <> 'awaitExecution')
     limit $2`,
    [olderThan.toISOString(), limit],
  );
  return rows.map((r) => r.arn);
}
