import type { Json } from "@stepwise/asl";
import { and, asc, eq, inArray, lt, sql } from "drizzle-orm";
import type { Executor } from "../connection.ts";
import { executionThreads, type ThreadStatus } from "../schema/execution-threads.ts";
import { writeExecutionRows } from "./execution-rows.ts";

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

export async function listThreads(db: Executor, executionArn: string): Promise<ThreadRecord[]> {
  return db.select().from(executionThreads).where(eq(executionThreads.executionArn, executionArn)).orderBy(asc(executionThreads.threadId));
}

export interface ThreadWrite {
  executionArn: string;
  threadId: string;
  position: Json;
  status: ThreadStatus;
}

/** Creates the thread at version 0, or overwrites it and bumps its version. */
export async function upsertThread(db: Executor, thread: ThreadWrite): Promise<ThreadRecord> {
  await saveThread(db, thread);
  return (await getThread(db, thread.executionArn, thread.threadId)) as ThreadRecord;
}

/** `upsertThread` for a writer that needs nothing back (a transition), sparing the round trip of the row. */
export async function saveThread(db: Executor, thread: ThreadWrite): Promise<void> {
  await upsertThreads(db, [thread]);
}

/**
 * Creates many threads of one execution at once (a Map's items). A thread that exists already is
 * replaced, its version bumped: a Map or Parallel state that runs again (Retry, a loop) gives its new
 * children the same ids.
 */
export async function upsertThreads(db: Executor, threads: readonly ThreadWrite[]): Promise<void> {
  const executionArn = threads[0]?.executionArn;
  if (threads.some((t) => t.executionArn !== executionArn)) throw new Error("upsertThreads writes the threads of one execution");
  for (let i = 0; i < threads.length; i += 500) {
    await writeExecutionRows(db, { executionArn: executionArn as string, threads: threads.slice(i, i + 500) });
  }
}

/**
 * Moves the thread to `position` only if it is still at `expectedVersion`; false when someone else moved it
 * first (the caller's view is stale). On success the thread is at `expectedVersion + 1`.
 */
export async function compareAndSetThread(
  db: Executor,
  executionArn: string,
  threadId: string,
  expectedVersion: number,
  position: Json,
  status?: ThreadStatus,
): Promise<boolean> {
  const rows = await db
    .update(executionThreads)
    .set({
      position,
      ...(status === undefined ? {} : { status }),
      version: sql`${executionThreads.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(executionThreads.executionArn, executionArn),
        eq(executionThreads.threadId, threadId),
        eq(executionThreads.version, expectedVersion),
      ),
    )
    .returning({ version: executionThreads.version });
  return rows.length > 0;
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

/** The execution ended: threads still running or waiting in it are aborted, so nothing picks them up again. */
export async function abortOpenThreads(db: Executor, executionArn: string): Promise<number> {
  const rows = await db
    .update(executionThreads)
    .set({ status: "ABORTED", updatedAt: sql`now()` })
    .where(and(eq(executionThreads.executionArn, executionArn), inArray(executionThreads.status, ["RUNNING", "WAITING"])))
    .returning({ threadId: executionThreads.threadId });
  return rows.length;
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
    .where(and(eq(executionThreads.executionArn, executionArn), inArray(executionThreads.threadId, [...threadIds])));
}

/** Drops threads of an execution (a redrive runs a Map or Parallel state again from its start). */
export async function deleteThreads(db: Executor, executionArn: string, threadIds: readonly string[]): Promise<void> {
  if (threadIds.length === 0) return;
  await db
    .delete(executionThreads)
    .where(and(eq(executionThreads.executionArn, executionArn), inArray(executionThreads.threadId, [...threadIds])));
}
