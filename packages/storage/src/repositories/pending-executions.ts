import { and, asc, count, eq, inArray, notExists, sql } from "drizzle-orm";
import type { Executor } from "../connection.ts";
import { executions } from "../schema/executions.ts";
import { pendingExecutions } from "../schema/pending-executions.ts";

export type PendingExecutionRecord = typeof pendingExecutions.$inferSelect;

/** Second half of the advisory lock key is the machine's hash; this first half keeps it apart from others. */
const ADMISSION_LOCK_CLASS = 0x53545058;

/** Queues an execution behind its machine's concurrency limit; idempotent on the execution. */
export async function enqueuePending(db: Executor, entry: { executionArn: string; stateMachineArn: string; now?: Date }): Promise<void> {
  await db
    .insert(pendingExecutions)
    .values({ executionArn: entry.executionArn, stateMachineArn: entry.stateMachineArn, enqueuedAt: entry.now ?? new Date() })
    .onConflictDoNothing();
}

/** RUNNING executions of the machine that have really started, i.e. are not waiting in the queue. */
export async function countRunning(db: Executor, stateMachineArn: string): Promise<number> {
  const queued = db.select({ one: sql`1` }).from(pendingExecutions).where(eq(pendingExecutions.executionArn, executions.arn));
  const [row] = await db
    .select({ n: count() })
    .from(executions)
    .where(and(eq(executions.stateMachineArn, stateMachineArn), eq(executions.status, "RUNNING"), notExists(queued)));
  return row?.n ?? 0;
}

/**
 * Takes the oldest queued execution of the machine off the queue (FIFO). With `maxRunning`, only while fewer
 * than that many run: the count and the take happen under a per-machine advisory lock, so concurrent
 * callers cannot both admit the last free slot.
 */
export async function dequeueNextPending(
  db: Executor,
  stateMachineArn: string,
  options: { maxRunning?: number } = {},
): Promise<PendingExecutionRecord | undefined> {
  const { maxRunning } = options;
  if (maxRunning === undefined) return takeOldest(db, stateMachineArn);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${ADMISSION_LOCK_CLASS}, hashtext(${stateMachineArn}))`);
    if ((await countRunning(tx, stateMachineArn)) >= maxRunning) return undefined;
    return takeOldest(tx, stateMachineArn);
  });
}

async function takeOldest(db: Executor, stateMachineArn: string): Promise<PendingExecutionRecord | undefined> {
  const oldest = db
    .select({ executionArn: pendingExecutions.executionArn })
    .from(pendingExecutions)
    .where(eq(pendingExecutions.stateMachineArn, stateMachineArn))
    .orderBy(asc(pendingExecutions.seq))
    .limit(1)
    .for("update", { skipLocked: true });
  const [row] = await db.delete(pendingExecutions).where(inArray(pendingExecutions.executionArn, oldest)).returning();
  return row;
}
