/**
 * The rows a transition adds to one execution — thread positions, history events, task tokens — in one
 * statement. Each kind is a data-modifying WITH over arrays (unnest), so one prepared text serves any
 * number of rows, and a transition costs the database one statement instead of one per kind: postgres.js
 * sends every statement that carries a position or an event in a write of its own, and for Postgres a
 * statement is a bind, an execute and a sync. Writing a thread, appending events and issuing a token
 * alone go through here as well, so each rule (a thread's overwrite, the event ids' primary key) is
 * written once.
 */
import type { HistoryEvent, Json } from "@stepwise/asl";
import type { Executor } from "../connection.ts";
import { DuplicateHistoryEvent } from "../errors.ts";
import { isUniqueViolation } from "../postgres-errors.ts";
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

type Param = string | number | null | readonly (string | null)[] | readonly number[];

/**
 * Writes the rows; returns how many of the tokens were issued now. An event id already taken raises
 * DuplicateHistoryEvent: the primary key, not the caller's care, keeps each event exactly-once.
 */
export async function writeExecutionRows(db: Executor, rows: ExecutionRows): Promise<{ tokensIssued: number }> {
  const threads = rows.threads ?? [];
  const events = rows.events ?? [];
  const tokens = rows.tokens ?? [];
  if (threads.length === 0 && events.length === 0 && tokens.length === 0) return { tokensIssued: 0 };
  const params: Param[] = [rows.executionArn];
  const ctes: string[] = [];
  const ref = (value: Param) => `$${params.push(value)}`;
  if (threads.length > 0) {
    ctes.push(`threads as (
      insert into execution_threads (execution_arn, thread_id, position, status)
      select $1, t, p::jsonb, s from unnest(${ref(threads.map((t) => t.threadId))}::text[], ${ref(threads.map((t) => JSON.stringify(t.position)))}::text[], ${ref(threads.map((t) => t.status))}::text[]) as u(t, p, s)
      on conflict (execution_arn, thread_id) do update
      set position = excluded.position, status = excluded.status, version = execution_threads.version + 1, updated_at = now())`);
  }
  if (events.length > 0) {
    const details = events.map(({ id: _id, previousEventId: _previous, timestamp: _timestamp, type: _type, ...rest }) =>
      JSON.stringify(rest),
    );
    ctes.push(`events as (
      insert into history_events (execution_arn, id, previous_event_id, type, timestamp, details)
      select $1, i, p, t, ts::timestamptz, d::jsonb from unnest(${ref(events.map((e) => e.id))}::int[], ${ref(events.map((e) => e.previousEventId))}::int[], ${ref(events.map((e) => e.type))}::text[], ${ref(events.map((e) => e.timestamp))}::text[], ${ref(details)}::text[]) as u(i, p, t, ts, d))`);
    ctes.push(
      `next_event as (update executions set next_event_id = greatest(next_event_id, ${ref(Math.max(...events.map((e) => e.id)) + 1)}) where arn = $1)`,
    );
  }
  if (tokens.length > 0) {
    ctes.push(`tokens as (
      insert into task_tokens (token, execution_arn, thread_id, state_name, activity_arn, input, heartbeat_deadline, created_at)
      select k, $1, t, s, a, i, h::timestamptz, c::timestamptz from unnest(${ref(tokens.map((k) => k.token))}::text[], ${ref(tokens.map((k) => k.threadId))}::text[], ${ref(tokens.map((k) => k.stateName))}::text[], ${ref(tokens.map((k) => k.activityArn ?? null))}::text[], ${ref(tokens.map((k) => k.input ?? null))}::text[], ${ref(tokens.map((k) => k.heartbeatDeadline?.toISOString() ?? null))}::text[], ${ref(tokens.map((k) => (k.now ?? new Date()).toISOString()))}::text[]) as u(k, t, s, a, i, h, c)
      on conflict do nothing
      returning token)`);
  }
  // A data-modifying WITH runs whether or not the main statement reads it.
  const text = `with ${ctes.join(", ")} select ${tokens.length > 0 ? "(select count(*) from tokens)::int" : "0"} as "tokensIssued"`;
  try {
    const [result] = await runSqlText<{ tokensIssued: number }>(db, text, params);
    return { tokensIssued: result?.tokensIssued ?? 0 };
  } catch (error) {
    if (isUniqueViolation(error) && events.length > 0) throw new DuplicateHistoryEvent(rows.executionArn);
    throw error;
  }
}
