import { and, asc, eq, lt, sql } from "drizzle-orm";
import { anyOf } from "../any-of.ts";
import type { Executor } from "../connection.ts";
import { executionThreads, type ThreadStatus } from "../schema/execution-threads.ts";
import { type ThreadRow, writeExecutionRows } from "./execution-rows.ts";

export type ThreadRecord = typeof executionThreads.$inferSelect;

export async function getThread(db: Executor, executionArn: string, threadId: string): Promise<ThreadRecord | undefined> {
  const [row] = await db
    .select()
    .from(executionThreads)
    .where(and(eq(executionThreads.executionArn, executionArn), eq(executionThreads.threadId, threadId)))
    .prepare("get_thread")
    .execute();
  return row;
}

/** Several threads of one execution in one statement (those missing are left out). */
export async function getThreads(db: Executor, executionArn: string, threadIds: readonly string[]): Promise<ThreadRecord[]> {
  if (threadIds.length === 0) return [];
  return db
    .select()
    .from(executionThreads)
    .where(and(eq(executionThreads.executionArn, executionArn), anyOf(executionThreads.threadId, threadIds)));
}

export async function listThreads(db: Executor, executionArn: string): Promise<ThreadRecord[]> {
  return db.select().from(executionThreads).where(eq(executionThreads.executionArn, executionArn)).orderBy(asc(executionThreads.threadId));
}

/**
 * Creates or replaces threads of one execution (a redrive's). A thread that exists already is replaced,
 * its version bumped (see execution-rows.ts).
 */
export async function upsertThreads(db: Executor, executionArn: string, threads: readonly ThreadRow[]): Promise<void> {
  await writeExecutionRows(db, [{ executionArn, threads }]);
}

/**
 * Threads of running executions left in `status` for longer than `olderThan`: the reconciler's view of
 * work whose queue job may have been lost with Redis.
 */
export async function listStaleThreads(db: Executor, status: ThreadStatus, olderThan: Date, limit: number): Promise<ThreadRecord[]> {
  return db
    .select()
    .from(executionThreads)
    .where(and(eq(executionThreads.status, status), lt(executionThreads.updatedAt, olderThan)))
    .orderBy(asc(executionThreads.updatedAt))
    .limit(limit);
}

/**
 * Marks threads RUNNING once their start is decided (an admitted queued execution, Map items given a
 * MaxConcurrency slot), so the reconciler watches them; until then they are WAITING, and it leaves them be.
 */
export async function markThreadsRunning(db: Executor, executionArn: string, threadIds: readonly string[]): Promise<void> {
  if (threadIds.length === 0) return;
  await db
    .update(executionThreads)
    .set({ status: "RUNNING", updatedAt: sql`now()` })
    .where(and(eq(executionThreads.executionArn, executionArn), anyOf(executionThreads.threadId, threadIds)));
}

/** Drops threads of an execution (a redrive runs a Map or Parallel state again from its start). */
export async function deleteThreads(db: Executor, executionArn: string, threadIds: readonly string[]): Promise<void> {
  if (threadIds.length === 0) return;
  await db
    .delete(executionThreads)
    .where(and(eq(executionThreads.executionArn, executionArn), anyOf(executionThreads.threadId, threadIds)));
}
