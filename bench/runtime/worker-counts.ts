/** The Postgres statements of all worker processes of a run, added up. */
import type { BenchChild } from "./children.ts";
import type { StatementCount } from "./query-counter.ts";

export interface WorkerCounts {
  statements: number;
  transactions: number;
  /** Summed time from BEGIN to COMMIT. */
  transactionMs: number;
  /** The most frequent statement kinds, as counts per execution: "select executions for update 11, …". */
  top(executions: number, kinds?: number): string;
  /** The statement kinds that took longest on average, lock and pool waits included: "select executions for update 4.2 ms, …". */
  slowest(kinds?: number): string;
}

export async function workerCounts(workers: readonly BenchChild[]): Promise<WorkerCounts> {
  const replies = await Promise.all(workers.map((w) => w.request("counts")));
  const byKind: Record<string, StatementCount> = {};
  let transactions = 0;
  let transactionMs = 0;
  for (const { queries } of replies) {
    transactions += queries.transactions.count;
    transactionMs += queries.transactions.totalMs;
    for (const [kind, count] of Object.entries(queries.statements)) {
      const entry = byKind[kind] ?? { count: 0, totalMs: 0 };
      byKind[kind] = { count: entry.count + count.count, totalMs: entry.totalMs + count.totalMs };
    }
  }
  const statements = Object.values(byKind).reduce((sum, c) => sum + c.count, 0);
  return {
    statements,
    transactions,
    transactionMs,
    top: (executions, kinds = 8) =>
      Object.entries(byKind)
        .sort(([, a], [, b]) => b.count - a.count)
        .slice(0, kinds)
        .map(([kind, c]) => `${kind} ${formatCount(c.count / executions)}`)
        .join(", "),
    slowest: (kinds = 4) =>
      Object.entries(byKind)
        .sort(([, a], [, b]) => b.totalMs / b.count - a.totalMs / a.count)
        .slice(0, kinds)
        .map(([kind, c]) => `${kind} ${(c.totalMs / c.count).toFixed(1)} ms`)
        .join(", "),
  };
}

function formatCount(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
