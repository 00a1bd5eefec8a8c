import { and, asc, count, eq, not, type SQL } from "drizzle-orm";
import { anyOf } from "../any-of.ts";
import type { Executor } from "../connection.ts";
import { childResults } from "../schema/child-results.ts";
import { runSqlText } from "../sql-text.ts";

export type ChildResultRecord = typeof childResults.$inferSelect;
export type NewChildResult = Omit<ChildResultRecord, "output" | "error" | "cause"> &
  Partial<Pick<ChildResultRecord, "output" | "error" | "cause">>;

const RECORD_CHILD_RESULTS = `
  insert into child_results (execution_arn, parent_thread_id, child_index, status, output, error, cause)
  select a, p, i, s, o, e, c from json_to_recordset($1::json) as u(a text, p text, i int, s text, o text, e text, c text)
  on conflict do nothing
  returning execution_arn as a, parent_thread_id as p, child_index as i`;

/**
 * Records finished children once each, in one statement (a Map's items finishing together); returns,
 * for each, whether this call recorded it (false: it was already there, a replay). SQL text: every Map
 * item and Parallel branch ends here, and drizzle's builder cost more than the insert.
 */
export async function recordChildResults(db: Executor, results: readonly NewChildResult[]): Promise<boolean[]> {
  if (results.length === 0) return [];
  const rows = results.map((r) => ({
    a: r.executionArn,
    p: r.parentThreadId,
    i: r.childIndex,
    s: r.status,
    o: r.output ?? null,
    e: r.error ?? null,
    c: r.cause ?? null,
  }));
  const inserted = await runSqlText<{ a: string; p: string; i: number }>(db, RECORD_CHILD_RESULTS, [JSON.stringify(rows)]);
  const key = (a: string, p: string, i: number) => JSON.stringify([a, p, i]);
  const recorded = new Set(inserted.map((r) => key(r.a, r.p, r.i)));
  return results.map((r) => recorded.has(key(r.executionArn, r.parentThreadId, r.childIndex)));
}

/** Records a finished child once; true if this call recorded it, false if it was already there (a replay). */
export async function recordChildResult(db: Executor, result: NewChildResult): Promise<boolean> {
  const [recorded] = await recordChildResults(db, [result]);
  return recorded === true;
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
  const kept = and(anyOf(childResults.parentThreadId, parentThreadIds), eq(childResults.status, "SUCCEEDED"));
  await db
    .delete(childResults)
    .where(and(eq(childResults.executionArn, executionArn), parentThreadIds.length === 0 ? undefined : not(kept as SQL)));
}
