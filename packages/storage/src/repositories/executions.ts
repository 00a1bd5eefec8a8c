import type { HistoryEvent, Json } from "@stepwise/asl";
import { and, eq, lt, or, sql } from "drizzle-orm";
import type { Executor } from "../connection.ts";
import { ExecutionAlreadyExists, ExecutionDoesNotExist, StateMachineDeleting, StateMachineDoesNotExist } from "../errors.ts";
import type { ThreadStatus } from "../schema/execution-threads.ts";
import { type CredentialScope, type ExecutionStatus, executions, type RedriveToken } from "../schema/executions.ts";
import { stateMachines } from "../schema/state-machines.ts";
import { runSqlText } from "../sql-text.ts";
import { executionRecordFields, firstRows } from "./execution-insert.ts";
import type { ExecutionRecord } from "./execution-read.ts";
import { asDuplicateEvent, executionRowsParts, type Param } from "./execution-rows.ts";
import { enqueuePending } from "./pending-executions.ts";
import { type NewTimer, scheduleTimer } from "./timers.ts";

export type { ExecutionRecord };

export interface NewExecution {
  arn: string;
  stateMachineArn: string;
  name: string;
  input: string;
  /** The definition this execution runs, whatever happens to its state machine afterwards. */
  definition: string;
  roleArn: string;
  startDate: Date;
  traceHeader?: string | null;
  /** Its OpenTelemetry trace, when it is traced (see the schema). */
  traceContext?: string | null;
  parentTaskToken?: string | null;
  /** The first history events (ExecutionStarted, …), ids from 1. */
  events: HistoryEvent[];
  rootThread: { position: Json; status: ThreadStatus };
  /** Timers that start with the execution (its own TimeoutSeconds), written in the same transaction. */
  timers?: NewTimer[];
  /** Behind its machine's concurrency limit: queued (FIFO) instead of started. */
  queued?: boolean;
  /** Secret seed for the ids its transitions draw (see the schema). */
  idSeed?: string | null;
  /** Started through a version, or through an alias and the version it picked. */
  stateMachineVersionArn?: string | null;
  stateMachineAliasArn?: string | null;
  /** Started for a scoped credential: its scope, which what the execution starts must fit. */
  scope?: CredentialScope | null;
}

/** What StartExecution answers with. */
export type StartedExecution = Pick<ExecutionRecord, "arn" | "startDate">;

/** One StartExecution's write: see createExecutions. */
export async function createExecution(db: Executor, input: NewExecution): Promise<{ execution: StartedExecution; created: boolean }> {
  const [outcome] = await createExecutions(db, [input]);
  if (!outcome || outcome instanceof Error) throw outcome;
  return outcome;
}

/**
 * StartExecution's write for any number of executions (concurrent starts share it): each execution,
 * its first events and its root thread, in one statement (one round trip, and atomic without a
 * transaction of its own), or one transaction when timers or a machine's queue come with them.
 * Idempotent as in AWS: the same name and input as a RUNNING execution returns that execution
 * (`created: false`); a closed one, or another input, is an ExecutionAlreadyExists. One input's failure
 * is its own: the result for it is the error.
 */
export async function createExecutions(
  db: Executor,
  inputs: readonly NewExecution[],
): Promise<Array<{ execution: StartedExecution; created: boolean } | Error>> {
  if (inputs.every((input) => (input.timers ?? []).length === 0 && !input.queued)) return insertExecutions(db, inputs);
  return db.transaction(async (tx) => {
    const results = await insertExecutions(tx, inputs);
    for (const [i, input] of inputs.entries()) {
      const result = results[i];
      if (!result || result instanceof Error || !result.created) continue;
      for (const timer of input.timers ?? []) await scheduleTimer(tx, timer);
      if (input.queued) await enqueuePending(tx, { executionArn: input.arn, stateMachineArn: input.stateMachineArn, now: input.startDate });
    }
    return results;
  });
}

async function insertExecutions(
  db: Executor,
  inputs: readonly NewExecution[],
): Promise<Array<{ execution: StartedExecution; created: boolean } | Error>> {
  // One statement cannot insert one ARN twice: a repeated start waits for the next, which finds it existing.
  const seen = new Set<string>();
  const first = inputs.filter((input) => !seen.has(input.arn) && seen.add(input.arn));
  const rows = first.map(firstRows);
  const params: Param[] = [
    [...new Set(first.map((input) => input.stateMachineArn))],
    JSON.stringify(
      first.map((input) => ({
        ...executionRecordFields(input),
        parent: input.parentTaskToken ?? null,
        version: input.stateMachineVersionArn ?? null,
        alias: input.stateMachineAliasArn ?? null,
        scope: input.scope ?? null,
      })),
    ),
  ];
  const parts = executionRowsParts(rows, params, "a in (select arn from inserted)");
  // FOR SHARE: a concurrent DeleteStateMachine waits until these executions are in, so purging sees them.
  const text = `
    with machine as (select arn, status from state_machines where arn = any($1::text[]) for share),
    inserted as (
      insert into executions (arn, state_machine_arn, name, input, definition, role_arn, start_date, trace_header, trace_context, parent_task_token, id_seed,
        state_machine_version_arn, state_machine_alias_arn, scope)
      select n.arn, n.sm, n.name, n.input, n.definition, n.role, n.start, n.trace, n.tctx, n.parent, n.seed, n.version, n.alias, n.scope
      from json_to_recordset($2::json) as n(arn text, sm text, name text, input text, definition text, role text, start timestamptz, trace text, tctx text, parent text, seed text,
        version text, alias text, scope jsonb)
      join machine on machine.arn = n.sm and machine.status = 'ACTIVE'
      on conflict do nothing
      returning arn),
    ${parts.ctes.join(", ")}
    select (select coalesce(json_object_agg(arn, status), '{}') from machine)::text as machines,
      (select coalesce(json_agg(arn), '[]') from inserted)::text as created`;
  let row: { machines: string; created: string } | undefined;
  try {
    [row] = await runSqlText<{ machines: string; created: string }>(db, text, params);
  } catch (error) {
    throw asDuplicateEvent(error, rows);
  }
  const machines = JSON.parse(row?.machines ?? "{}") as Record<string, string>;
  const created = new Set(JSON.parse(row?.created ?? "[]") as string[]);
  const results: Array<{ execution: StartedExecution; created: boolean } | Error> = [];
  for (const input of inputs) {
    const status = machines[input.stateMachineArn];
    if (!status) results.push(new StateMachineDoesNotExist(input.stateMachineArn));
    else if (status === "DELETING") results.push(new StateMachineDeleting(input.stateMachineArn));
    // The first start of an ARN created it; a repeat in the same batch finds it existing.
    else if (created.delete(input.arn)) results.push({ execution: { arn: input.arn, startDate: input.startDate }, created: true });
    else {
      results.push(
        await sameRunningExecution(db, input).then(
          (execution) => ({ execution, created: false }),
          (error: Error) => error,
        ),
      );
    }
  }
  return results;
}

async function sameRunningExecution(db: Executor, input: NewExecution): Promise<ExecutionRecord> {
  const [existing] = await db
    .select()
    .from(executions)
    .where(or(eq(executions.arn, input.arn), and(eq(executions.stateMachineArn, input.stateMachineArn), eq(executions.name, input.name))));
  if (existing?.status !== "RUNNING" || existing.input !== input.input) {
    throw new ExecutionAlreadyExists(existing?.arn ?? input.arn);
  }
  return existing;
}

export type ClosedExecutionStatus = Exclude<ExecutionStatus, "RUNNING" | "PENDING_REDRIVE">;

export interface ExecutionOutcome {
  status: ClosedExecutionStatus;
  stopDate: Date;
  output?: string | null;
  error?: string | null;
  cause?: string | null;
}

/** Closes a RUNNING execution; false when it was no longer running (another writer closed it first). */
export async function finishExecution(db: Executor, arn: string, outcome: ExecutionOutcome): Promise<boolean> {
  const rows = await db
    .update(executions)
    .set({
      status: outcome.status,
      stopDate: outcome.stopDate,
      output: outcome.output ?? null,
      error: outcome.error ?? null,
      cause: outcome.cause ?? null,
      version: sql`${executions.version} + 1`,
    })
    .where(and(eq(executions.arn, arn), eq(executions.status, "RUNNING")))
    .returning({ arn: executions.arn });
  return rows.length > 0;
}

export interface LockedExecution {
  arn: string;
  status: ExecutionStatus;
  /** The id the next appended history event must get: one past the last, read once the lock is held. */
  nextEventId: number;
  version: number;
  /** Status of its state machine (null once purged): a DELETING machine's executions end at their next transition. */
  stateMachineStatus: string | null;
  /** Read with the lock because another process's redrive changes it (`$$.Execution.RedriveCount`). */
  redriveCount: number;
}

/**
 * `SELECT … FOR UPDATE` on the execution row: whoever holds it, until its transaction ends, is the one
 * writer of this execution's history (`tx` must be a transaction for the lock to mean anything).
 */
export async function lockExecution(tx: Executor, arn: string): Promise<LockedExecution> {
  const { threads: _none, ...locked } = (await lockExecutionsWithThreads(tx, [{ arn, threadIds: [] }])).get(arn) as LockedExecutionThreads;
  return locked;
}

export interface LockedExecutionThreads extends LockedExecution {
  /** The committed positions of the threads asked for, by thread id; a thread that has none is left out. */
  threads: Map<string, Json>;
}

/**
 * Locks executions' rows in ARN order — so two transactions that each hold several never wait on each
 * other in a cycle — and reads the threads asked for and each history's next event id: what a group
 * commit's members need before they apply anything. Statements sent together, the lock first: joined
 * into the locking statement, threads and history would come from the snapshot taken before waiting for
 * the lock — as they were before the previous holder moved them on.
 */
export async function lockExecutionsWithThreads(
  tx: Executor,
  members: readonly { arn: string; threadIds: readonly string[] }[],
): Promise<Map<string, LockedExecutionThreads>> {
  const arns = members.map((m) => m.arn);
  const pairs = members.flatMap((m) => [...new Set(m.threadIds)].map((threadId) => [m.arn, threadId] as const));
  const lock = runSqlText<Omit<LockedExecution, "nextEventId">>(tx, LOCK_EXECUTIONS, [arns]).then((rows) => rows);
  const nextIds = runSqlText<{ arn: string; nextEventId: number }>(tx, NEXT_EVENT_IDS, [arns]).then((rows) => rows);
  nextIds.catch(() => {});
  const threads =
    pairs.length === 0
      ? Promise.resolve([])
      : runSqlText<{ arn: string; threadId: string; position: Json }>(tx, THREAD_POSITIONS, [
          pairs.map(([arn]) => arn),
          pairs.map(([, threadId]) => threadId),
        ]).then((rows) => rows);
  threads.catch(() => {});
  const rows = await lock;
  const next = new Map((await nextIds).map((row) => [row.arn, row.nextEventId]));
  const locked = new Map(
    rows.map((row): [string, LockedExecutionThreads] => [
      row.arn,
      { ...row, nextEventId: next.get(row.arn) as number, threads: new Map<string, Json>() },
    ]),
  );
  for (const row of await threads) {
    const execution = locked.get(row.arn);
    execution?.threads.set(row.threadId, row.position);
  }
  for (const arn of arns) if (!locked.has(arn)) throw new ExecutionDoesNotExist(arn);
  return locked;
}

const LOCK_EXECUTIONS = `
  select e.arn, e.status, e.version, m.status as "stateMachineStatus", e.redrive_count as "redriveCount"
  from executions e
  left join state_machines m on m.arn = e.state_machine_arn
  where e.arn = any($1::text[])
  order by e.arn
  for update of e`;

// The events' primary key makes each max(id) one index probe.
const NEXT_EVENT_IDS = `
  select u.a as arn, (select coalesce(max(h.id), 0) + 1 from history_events h where h.execution_arn = u.a) as "nextEventId"
  from unnest($1::text[]) as u(a)`;

const THREAD_POSITIONS = `
  select t.execution_arn as arn, t.thread_id as "threadId", t.position
  from unnest($1::text[], $2::text[]) as u(a, t)
  join execution_threads t on t.execution_arn = u.a and t.thread_id = u.t`;

/** RUNNING executions of EXPRESS machines started before `olderThan` (the reconciler checks their job exists). */
export async function listRunningExpressExecutions(db: Executor, olderThan: Date, limit: number): Promise<ExecutionRecord[]> {
  const rows = await db
    .select({ execution: executions })
    .from(executions)
    .innerJoin(stateMachines, eq(stateMachines.arn, executions.stateMachineArn))
    .where(and(eq(executions.status, "RUNNING"), eq(stateMachines.type, "EXPRESS"), lt(executions.startDate, olderThan)))
    .limit(limit);
  return rows.map((r) => r.execution);
}

/**
 * RedriveExecution: a closed execution runs again; its redrive count goes up by one. `redriveTokens`
 * replaces the client tokens kept for answering a repeated request.
 */
export async function reopenExecution(
  db: Executor,
  arn: string,
  redrive: { redriveDate: Date; redriveTokens: RedriveToken[]; scope?: CredentialScope | null },
): Promise<ExecutionRecord> {
  const [row] = await db
    .update(executions)
    .set({
      status: "RUNNING",
      stopDate: null,
      output: null,
      error: null,
      cause: null,
      redriveCount: sql`${executions.redriveCount} + 1`,
      redriveDate: redrive.redriveDate,
      redriveTokens: redrive.redriveTokens,
      ...(redrive.scope === undefined ? {} : { scope: redrive.scope }),
      version: sql`${executions.version} + 1`,
    })
    .where(eq(executions.arn, arn))
    .returning();
  if (!row) throw new ExecutionDoesNotExist(arn);
  return row;
}
