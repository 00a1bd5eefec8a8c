/**
 * Retention: closed executions are deleted once their retention period has passed, with everything
 * stored for them (history, threads, task tokens, timers, child results) and their distributed Maps'
 * child executions, a few at a time. Each batch is one short transaction that takes row locks only on
 * what it deletes, skips rows another transaction holds, and gives up quickly rather than wait for a
 * lock: nothing a running execution does waits for it (see docs/retention.md).
 */
import type { Database, Executor } from "../connection.ts";
import type { ExecutionStatus } from "../schema/executions.ts";
import { runSqlText } from "../sql-text.ts";

/** What an execution in one of these states keeps is final: it can expire. */
const CLOSED: readonly ExecutionStatus[] = ["SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"];
const CLOSED_SQL = CLOSED.map((s) => `'${s}'`).join(", ");

/** Which closed top-level executions have expired: closed before these dates. */
export interface ExpiryCutoffs {
  /** Executions of state machines without an override of their own. */
  default: Date;
  /** By state machine ARN: that machine's executions. */
  overrides: ReadonlyMap<string, Date>;
}

/** A top-level execution past its retention, and the close date its expiry was decided on. */
export interface ExpiredExecution {
  arn: string;
  closedBefore: Date;
}

/** Rows one expiry transaction deleted from one table, and their size as stored (`pg_column_size` of each row). */
export interface ReclaimedRows {
  table: ExpiryTable;
  rows: number;
  bytes: number;
}

export type ExpiryTable =
  | "executions"
  | "history_events"
  | "execution_threads"
  | "child_results"
  | "task_tokens"
  | "timers"
  | "pending_executions";

/** The value of one tag on every state machine that has it (`stepwise:retention`). */
export async function listStateMachineTag(db: Executor, key: string): Promise<Array<{ stateMachineArn: string; value: string }>> {
  return runSqlText<{ stateMachineArn: string; value: string }>(
    db,
    `select m.arn as "stateMachineArn", t->>'value' as value
     from state_machines m cross join lateral jsonb_array_elements(m.tags) t
     where m.tags @> jsonb_build_array(jsonb_build_object('key', $1::text)) and t->>'key' = $1`,
    [key],
  );
}

/**
 * Closed top-level executions (children expire with their parent) past their cutoff, oldest first for the
 * default, at most `limit`. The default's scan walks executions_expiry_idx; an override's walks its
 * machine's executions by start date (closed before the cutoff, it also started before it).
 */
export async function findExpiredExecutions(db: Executor, cutoffs: ExpiryCutoffs, limit: number): Promise<ExpiredExecution[]> {
  const machines = [...cutoffs.overrides.keys()];
  const dates = [...cutoffs.overrides.values()].map((d) => d.toISOString());
  const rows = await runSqlText<{ arn: string; cutoff: string }>(
    db,
    `(select e.arn, $1::timestamptz::text as cutoff from executions e
      where e.parent_execution_arn is null and e.status in (${CLOSED_SQL}) and e.stop_date < $1::timestamptz
        and e.state_machine_arn <> all($2::text[])
      order by e.stop_date limit $4)
     union all
     (select x.arn, o.cutoff::text from unnest($2::text[], $3::text[]::timestamptz[]) as o(machine, cutoff)
      cross join lateral (
        select e.arn from executions e
        where e.state_machine_arn = o.machine and e.parent_execution_arn is null and e.status in (${CLOSED_SQL})
          and e.start_date < o.cutoff and e.stop_date < o.cutoff
        limit $4) x
      limit $4)`,
    [cutoffs.default.toISOString(), machines, dates, limit],
  );
  return rows.slice(0, limit).map((r) => ({ arn: r.arn, closedBefore: new Date(r.cutoff) }));
}

export interface ExpiringChild {
  arn: string;
  status: ExecutionStatus;
  /** It is itself the parent of child executions (a distributed Map inside a child workflow). */
  hasChildren: boolean;
}

/** Up to `limit` child executions of `parentArn` still stored. */
export async function listChildrenToExpire(db: Executor, parentArn: string, limit: number): Promise<ExpiringChild[]> {
  return runSqlText<ExpiringChild>(
    db,
    `select c.arn, c.status, exists (select 1 from executions g where g.parent_execution_arn = c.arn) as "hasChildren"
     from executions c where c.parent_execution_arn = $1 limit $2`,
    [parentArn, limit],
  );
}

/** Which of these executions have child executions still stored. */
export async function parentsAmong(db: Executor, arns: readonly string[]): Promise<Set<string>> {
  const rows = await runSqlText<{ arn: string }>(
    db,
    `select u.a as arn from unnest($1::text[]) as u(a) where exists (select 1 from executions c where c.parent_execution_arn = u.a)`,
    [arns],
  );
  return new Set(rows.map((r) => r.arn));
}

export interface ExpiryBatchResult {
  /** The executions deleted (those of the batch that were closed, had no child left and no other transaction held). */
  deleted: string[];
  reclaimed: ReclaimedRows[];
}

export interface ExpiryBatch {
  /** Top-level executions past their retention: deleted themselves, unless `descendants` is given. */
  roots: readonly ExpiredExecution[];
  /** Executions under the (one) root to delete instead: its children, or theirs. */
  descendants?: readonly string[];
  /** How long any lock may be waited for before the batch gives up (the next round tries again). */
  lockTimeoutMs: number;
}

/**
 * Deletes closed executions and everything stored for them, in one transaction, if their top-level
 * execution is still closed before its cutoff (a redrive may have reopened it since it was found).
 * The top-level executions' rows are locked first, so nothing starts or redrives children under them
 * meanwhile; rows another transaction holds are skipped, not waited for. The transaction is named
 * `stepwise-expiry` in pg_stat_activity.
 */
export async function deleteExpiredExecutions(db: Database, batch: ExpiryBatch): Promise<ExpiryBatchResult> {
  const none: ExpiryBatchResult = { deleted: [], reclaimed: [] };
  if (batch.roots.length === 0) return none;
  return db.transaction(async (tx) => {
    await runSqlText(tx, "select set_config('lock_timeout', $1, true), set_config('application_name', 'stepwise-expiry', true)", [
      `${batch.lockTimeoutMs}ms`,
    ]);
    const held = await runSqlText<{ arn: string }>(
      tx,
      `select e.arn from executions e join unnest($1::text[], $2::text[]::timestamptz[]) as r(arn, cutoff) on e.arn = r.arn
       where e.status in (${CLOSED_SQL}) and e.stop_date < r.cutoff
       order by e.arn
       for update of e skip locked`,
      [batch.roots.map((r) => r.arn), batch.roots.map((r) => r.closedBefore.toISOString())],
    );
    if (held.length === 0) return none;
    const targets = batch.descendants ?? held.map((r) => r.arn);
    // A parent goes only once no child of it is left: a child never outlives its parent's history.
    const locked = await runSqlText<{ arn: string }>(
      tx,
      `select e.arn from executions e
       where e.arn = any($1::text[]) and e.status in (${CLOSED_SQL})
         and not exists (select 1 from executions c where c.parent_execution_arn = e.arn)
       order by e.arn
       for update of e skip locked`,
      [targets],
    );
    if (locked.length === 0) return none;
    const deleted = locked.map((r) => r.arn);
    const reclaimed = await runSqlText<{ table: ExpiryTable; rows: number; bytes: string }>(tx, DELETE_ROWS, [deleted]);
    return { deleted, reclaimed: reclaimed.map((r) => ({ table: r.table, rows: r.rows, bytes: Number(r.bytes) })) };
  });
}
const DEPENDENT_TABLES: ReadonlyArray<[ExpiryTable, string]> = [
  ["history_events", "execution_arn"],
  ["execution_threads", "execution_arn"],
  ["child_results", "execution_arn"],
  ["task_tokens", "execution_arn"],
  ["timers", "execution_arn"],
  ["pending_executions", "execution_arn"],
  ["executions", "arn"],
];

// One statement: every data-modifying CTE runs once, each through its table's index on the execution.
const DELETE_ROWS = `
  with ${DEPENDENT_TABLES.map(
    ([table, column]) =>
      `d_${table} as (delete from ${table} where ${column} = any($1::text[]) returning pg_column_size(${table}.*) as size)`,
  ).join(",\n  ")}
  ${DEPENDENT_TABLES.map(
    ([table]) => `select '${table}' as "table", count(*)::int as rows, coalesce(sum(size), 0)::bigint::text as bytes from d_${table}`,
  ).join("\n  union all ")}`;
