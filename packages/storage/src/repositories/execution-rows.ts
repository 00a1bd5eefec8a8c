/**
 * The rows transitions add — thread positions, history events, task tokens — in one statement, for any
 * number of executions (a group commit's members write together). Each kind is a data-modifying WITH
 * over one JSON parameter (json_to_recordset), so one prepared text serves any number of rows, and the group costs the database
 * one statement instead of one per kind and execution: on loopback TCP a statement's round trip costs
 * both processes a socket write and a wake-up, which is most of what a small statement costs. Writing a
 * thread, appending events and issuing a token alone go through here as well, so each rule (a thread's
 * overwrite, the event ids' primary key) is written once.
 */
import type { HistoryEvent, Json } from "@stepwise/asl";
import type { Executor } from "../connection.ts";
import { DuplicateHistoryEvent } from "../errors.ts";
import { isUniqueViolation, violatedTable } from "../postgres-errors.ts";
import type { ThreadStatus } from "../schema/execution-threads.ts";
import { runSqlText } from "../sql-text.ts";

export interface ThreadRow {
  threadId: string;
  position: Json;
  status: ThreadStatus;
}

export interface TokenRow {
  token: string;
  threadId: string;
  stateName: string;
  /** Set for activity tasks; null for `.waitForTaskToken` callbacks and worker tasks. */
  activityArn?: string | null;
  input?: string | null;
  heartbeatDeadline?: Date | null;
  now?: Date;
}

export interface ExecutionRows {
  executionArn: string;
  /** At most one per thread: a statement cannot write one row twice. */
  threads?: readonly ThreadRow[];
  /** Ids assigned by the caller from the locked execution's `nextEventId`. */
  events?: readonly HistoryEvent[];
  /** Issued once: a token that exists already (a replayed step) is left as it was. */
  tokens?: readonly TokenRow[];
}

export type Param = string | number | null | readonly (string | null)[] | readonly number[];

/**
 * Writes the rows of every execution in `batch`; returns how many of the tokens were issued now. An event
 * id already taken raises DuplicateHistoryEvent: the primary key, not the caller's care, keeps each event
 * exactly-once.
 */
export async function writeExecutionRows(db: Executor, batch: readonly ExecutionRows[]): Promise<{ tokensIssued: number }> {
  const params: Param[] = [];
  const parts = executionRowsParts(batch, params);
  if (parts.ctes.length === 0) return { tokensIssued: 0 };
  // A data-modifying WITH runs whether or not the main statement reads it.
  const text = `with ${parts.ctes.join(", ")} select ${parts.tokens ? "(select count(*) from tokens)::int" : "0"} as "tokensIssued"`;
  try {
    const [result] = await runSqlText<{ tokensIssued: number }>(db, text, params);
    return { tokensIssued: result?.tokensIssued ?? 0 };
  } catch (error) {
    throw asDuplicateEvent(error, batch);
  }
}

/**
 * The WITH parts that write `batch`'s rows, for a statement of the caller's (StartExecution's adds the
 * execution itself); their parameters are appended to `params`. With `onlyIf`, a condition on the
 * statement's other parts, each part writes only when it holds. `tokens` names a part whose rows are the
 * tokens issued now.
 */
export function executionRowsParts(batch: readonly ExecutionRows[], params: Param[], onlyIf = "true"): { ctes: string[]; tokens: boolean } {
  const rowsOf = <Row>(pick: (rows: ExecutionRows) => readonly Row[] | undefined) =>
    batch.flatMap((rows) => (pick(rows) ?? []).map((row) => [rows.executionArn, row] as const));
  const threads = rowsOf((rows) => rows.threads);
  const events = rowsOf((rows) => rows.events);
  const tokens = rowsOf((rows) => rows.tokens);
  const ctes: string[] = [];
  const ref = (value: Param) => `$${params.push(value)}`;
  // Each kind's rows go as one JSON parameter: JSON.stringify is native, where a text[] parameter is
  // escaped element by element in JavaScript (event details are JSON full of quotes to escape). JSON
  // members become jsonb by a cast: a jsonb column of json_to_recordset cost Postgres three times the
  // CPU for the same rows (measured on 52,000 history events: 1.2–1.5 s against 0.4–0.5 s). Event
  // details are json (see the schema), so they go in as given.
  if (threads.length > 0) {
    const rows = threads.map(([a, t]) => ({ a, t: t.threadId, p: t.position, s: t.status }));
    ctes.push(`threads as (
      insert into execution_threads (execution_arn, thread_id, position, status)
      select a, t, p::jsonb, s from json_to_recordset(${ref(JSON.stringify(rows))}::json) as u(a text, t text, p json, s text)
      where ${onlyIf}
      on conflict (execution_arn, thread_id) do update
      set position = excluded.position, status = excluded.status, version = execution_threads.version + 1, updated_at = now())`);
  }
  if (events.length > 0) {
    // Grouped by execution, so its ARN goes once rather than with each of its events (a Task state has five).
    const rows = batch.flatMap((rows) =>
      rows.events && rows.events.length > 0
        ? [
            {
              a: rows.executionArn,
              e: rows.events.map(({ id, previousEventId, timestamp, type, ...details }) => ({
                i: id,
                p: previousEventId,
                t: type,
                ts: timestamp,
                d: details,
              })),
            },
          ]
        : [],
    );
    ctes.push(`events as (
      insert into history_events (execution_arn, id, previous_event_id, type, timestamp, details)
      select a, i, p, t, ts, d
      from json_to_recordset(${ref(JSON.stringify(rows))}::json) as u(a text, e json),
        json_to_recordset(u.e) as v(i int, p int, t text, ts timestamptz, d json)
      where ${onlyIf})`);
  }
  if (tokens.length > 0) {
    const rows = tokens.map(([e, k]) => ({
      k: k.token,
      e,
      t: k.threadId,
      s: k.stateName,
      a: k.activityArn ?? null,
      i: k.input ?? null,
      h: k.heartbeatDeadline?.toISOString() ?? null,
      c: (k.now ?? new Date()).toISOString(),
    }));
    ctes.push(`tokens as (
      insert into task_tokens (token, execution_arn, thread_id, state_name, activity_arn, input, heartbeat_deadline, created_at)
      select k, e, t, s, a, i, h, c from json_to_recordset(${ref(JSON.stringify(rows))}::json) as u(k text, e text, t text, s text, a text, i text, h timestamptz, c timestamptz)
      where ${onlyIf}
      on conflict do nothing
      returning token)`);
  }
  return { ctes, tokens: tokens.length > 0 };
}

/** An event id already taken, as DuplicateHistoryEvent; any other error as it is. */
export function asDuplicateEvent(error: unknown, batch: readonly ExecutionRows[]): unknown {
  return isUniqueViolation(error) && violatedTable(error) === "history_events"
    ? new DuplicateHistoryEvent(duplicatedExecution(error, batch))
    : error;
}

/** Whose event id was taken: Postgres names the key in the error's detail; with one execution, that one. */
function duplicatedExecution(error: unknown, batch: readonly ExecutionRows[]): string {
  const detail = (error as { detail?: string }).detail ?? "";
  const named = batch.find((rows) => detail.includes(`(${rows.executionArn},`));
  return (named ?? batch[0])?.executionArn ?? "";
}
