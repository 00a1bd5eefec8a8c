import { and, asc, eq, inArray, isNull, lt } from "drizzle-orm";
import type { Executor } from "../connection.ts";
import { TaskDoesNotExist } from "../errors.ts";
import { type TaskTokenStatus, taskTokens } from "../schema/task-tokens.ts";
import { runSqlText } from "../sql-text.ts";

export type TaskTokenRecord = typeof taskTokens.$inferSelect;

const OPEN: TaskTokenStatus[] = ["PENDING", "STARTED"];
export type ClosedTaskTokenStatus = Exclude<TaskTokenStatus, "PENDING" | "STARTED">;

/**
 * The status of each of `tokens` that exists, in one statement: the task worker's check, before running
 * a handler, that its attempt is still open.
 */
export async function taskTokenStatuses(db: Executor, tokens: readonly string[]): Promise<Map<string, TaskTokenStatus>> {
  const rows = await runSqlText<{ token: string; status: TaskTokenStatus }>(db, TOKEN_STATUSES, [tokens]);
  return new Map(rows.map((row) => [row.token, row.status]));
}

const TOKEN_STATUSES = "select token, status from task_tokens where token = any($1::text[])";

export async function getTaskToken(db: Executor, token: string): Promise<TaskTokenRecord> {
  const [row] = await db.select().from(taskTokens).where(eq(taskTokens.token, token)).prepare("get_task_token").execute();
  if (!row) throw new TaskDoesNotExist();
  return row;
}

/**
 * GetActivityTask's claim: the oldest PENDING task of the activity, marked STARTED for this worker.
 * SKIP LOCKED lets concurrent pollers each take a different task instead of queueing on the same one.
 */
export async function claimActivityTask(
  db: Executor,
  activityArn: string,
  workerName: string | null,
  heartbeatDeadline: Date | null = null,
): Promise<TaskTokenRecord | undefined> {
  const next = db
    .select({ token: taskTokens.token })
    .from(taskTokens)
    .where(and(eq(taskTokens.activityArn, activityArn), eq(taskTokens.status, "PENDING")))
    .orderBy(asc(taskTokens.createdAt), asc(taskTokens.token))
    .limit(1)
    .for("update", { skipLocked: true });
  const [row] = await db
    .update(taskTokens)
    .set({ status: "STARTED", workerName, heartbeatDeadline })
    .where(inArray(taskTokens.token, next))
    .returning();
  return row;
}

/**
 * Closes open tokens (SendTaskSuccess/Failure, a timeout, the execution stopping), in one statement for
 * a group commit's members. Returns the tokens closed now; one already closed is left out — the loser of
 * a race, for the API a TaskTimedOut. A token that does not exist raises TaskDoesNotExist.
 */
export async function closeTaskTokens(
  db: Executor,
  closes: readonly { token: string; status: ClosedTaskTokenStatus }[],
  now: Date = new Date(),
): Promise<Set<string>> {
  if (closes.length === 0) return new Set();
  const rows = await runSqlText<{ token: string }>(db, CLOSE_TASK_TOKENS, [
    closes.map((c) => c.token),
    closes.map((c) => c.status),
    now.toISOString(),
  ]);
  const closed = new Set(rows.map((row) => row.token));
  const unclosed = closes.map((c) => c.token).filter((token) => !closed.has(token));
  if (unclosed.length > 0) {
    const statuses = await taskTokenStatuses(db, unclosed);
    if (unclosed.some((token) => !statuses.has(token))) throw new TaskDoesNotExist();
  }
  return closed;
}

// A token named twice closes once (an UPDATE changes a row once): the first request for it is the one that applies.
const CLOSE_TASK_TOKENS = `
  update task_tokens k set status = u.s, closed_at = $3::timestamptz
  from unnest($1::text[], $2::text[]) as u(t, s)
  where k.token = u.t and k.status in ('PENDING', 'STARTED')
  returning k.token`;

/** SendTaskHeartbeat: moves the deadline of an open token; undefined if it was already closed. */
export async function heartbeatTaskToken(
  db: Executor,
  token: string,
  heartbeatDeadline: Date | null,
): Promise<TaskTokenRecord | undefined> {
  const [row] = await db
    .update(taskTokens)
    .set({ heartbeatDeadline })
    .where(and(eq(taskTokens.token, token), inArray(taskTokens.status, OPEN)))
    .returning();
  if (row) return row;
  await getTaskToken(db, token);
  return undefined;
}

/** A callback task whose handler has run: now it waits for SendTaskSuccess/Failure only. */
export async function markTaskTokenStarted(db: Executor, token: string): Promise<boolean> {
  const rows = await db
    .update(taskTokens)
    .set({ status: "STARTED" })
    .where(and(eq(taskTokens.token, token), eq(taskTokens.status, "PENDING")))
    .returning({ token: taskTokens.token });
  return rows.length > 0;
}

/** Handler tasks still PENDING since before `olderThan`: the reconciler checks their queue job exists. */
export async function listStalePendingTasks(db: Executor, olderThan: Date, limit: number): Promise<TaskTokenRecord[]> {
  return db
    .select()
    .from(taskTokens)
    .where(and(eq(taskTokens.status, "PENDING"), isNull(taskTokens.activityArn), lt(taskTokens.createdAt, olderThan)))
    .orderBy(asc(taskTokens.createdAt))
    .limit(limit);
}

export async function listTaskTokens(db: Executor, executionArn: string): Promise<TaskTokenRecord[]> {
  return db.select().from(taskTokens).where(eq(taskTokens.executionArn, executionArn)).orderBy(asc(taskTokens.createdAt));
}

/** Tasks whose handler ran and that now wait for a callback or a nested execution, since before `olderThan`. */
export async function listWaitingTasks(db: Executor, olderThan: Date, limit: number): Promise<TaskTokenRecord[]> {
  return db
    .select()
    .from(taskTokens)
    .where(and(eq(taskTokens.status, "STARTED"), isNull(taskTokens.activityArn), lt(taskTokens.createdAt, olderThan)))
    .orderBy(asc(taskTokens.createdAt))
    .limit(limit);
}
