import { and, asc, count, eq, inArray, not, type SQL } from "drizzle-orm";
import type { Executor } from "../connection.ts";
import { childResults } from "../schema/child-results.ts";
import { runSqlText } from "../sql-text.ts";

export type ChildResultRecord = typeof childResults.$inferSelect;
export type NewChildResult = Omit<ChildResultRecord, "output" | "error" | "cause"> &
  Partial<Pick<ChildResultRecord, "output" | "error" | "cause">>;

const RECORD_CHILD_RESULT = `
  insert into child_results (execution_arn, parent_thread_id, child_index, status, output, error, cause)
  values ($1, $2, $3, $4, $5, $6, $7)
  on conflict do nothing
  returning child_index`;

/**
 * Records a finished child once; true if this call recorded it, false if it was already there (a replay).
 * SQL text: every Map item and Parallel branch ends here, and drizzle's builder cost more than the insert.
 */
export async function recordChildResult(db: Executor, result: NewChildResult): Promise<boolean> {
  const rows = await runSqlText(db, RECORD_CHILD_RESULT, [
    result.executionArn,
    result.parentThreadId,
    result.childIndex,
    result.status,
    result.output ?? null,
    result.error ?? null,
    result.cause ?? null,
  ]);
  return rows.length > 0;
}

export async function countChildResults(db: Executor, executionArn: string, parentThreadId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(childResults).where(ofParent(executionArn, parentThreadId));
  return row?.n ?? 0;
}

export async function getChildResults(db: Executor, executionArn: string, parentThreadId: string): Promise<ChildResultRecord[]> {
  return db.select().from(childResults).where(ofParent(executionArn, parentThreadId)).orderBy(asc(childResults.childIndex));
}

/** Forgets a parent's children, before a retried Map or Parallel state runs them again. */
export async function deleteChildResults(db: Executor, executionArn: string, parentThreadId: string): Promise<number> {
  const rows = await db
    .delete(childResults)
    .where(ofParent(executionArn, parentThreadId))
    .returning({ childIndex: childResults.childIndex });
  return rows.length;
}

const ofParent = (executionArn: string, parentThreadId: string) =>
  and(eq(childResults.executionArn, executionArn), eq(childResults.parentThreadId, parentThreadId));

/**
 * A redrive: forgets every child result of the execution but the successful ones of the fan-outs that
 * carry on (`parentThreadIds`), whose children are not run again.
 */
export async function keepSucceededChildResults(db: Executor, executionArn: string, parentThreadIds: readonly string[]): Promise<void> {
  const kept = and(inArray(childResults.parentThreadId, [...parentThreadIds]), eq(childResults.status, "SUCCEEDED"));
  await db
    .delete(childResults)
    .where(and(eq(childResults.executionArn, executionArn), parentThreadIds.length === 0 ? undefined : not(kept as SQL)));
}
