/**
 * Counts the Postgres statements a process sends through drizzle, by kind and table, with the time
 * spent waiting for each kind. pg_stat_statements is not loaded on the bench host, and the runtime
 * builds its own pool, so the count hooks drizzle's postgres-js classes, which every repository goes
 * through. Bench-only: it patches shared prototypes for the whole process.
 */
import { PostgresJsPreparedQuery, PostgresJsSession } from "drizzle-orm/postgres-js/session";

export interface StatementCount {
  count: number;
  totalMs: number;
}

export interface QueryCounts {
  /** "insert history_events" → how often and how long. */
  statements: Record<string, StatementCount>;
  /** Transactions, each also a BEGIN and a COMMIT round trip; totalMs is from BEGIN to COMMIT. */
  transactions: StatementCount;
}

const counts: QueryCounts = { statements: {}, transactions: { count: 0, totalMs: 0 } };

export function queryCounts(): QueryCounts {
  return structuredClone(counts);
}

export function resetQueryCounts(): void {
  counts.statements = {};
  counts.transactions = { count: 0, totalMs: 0 };
}

/** "insert into \"history_events\" …" → "insert history_events". */
export function statementKind(text: string): string {
  const verb = /^\s*(\w+)/.exec(text)?.[1]?.toLowerCase() ?? "?";
  const table = /\b(?:from|into|update)\s+"?([\w.]+)"?/i.exec(text)?.[1] ?? "?";
  const lock = /\bfor (update|share)\b/i.exec(text)?.[1];
  return `${verb} ${table}${lock ? ` for ${lock}` : ""}`;
}

function add(entry: StatementCount, ms: number): void {
  entry.count += 1;
  entry.totalMs += ms;
}

// Statement texts repeat (only multi-row inserts vary, by row count), so each is classified once.
const kinds = new Map<string, string>();

function statement(text: string): StatementCount {
  let kind = kinds.get(text);
  if (kind === undefined) {
    kind = statementKind(text);
    kinds.set(text, kind);
  }
  const entry = counts.statements[kind] ?? { count: 0, totalMs: 0 };
  counts.statements[kind] = entry;
  return entry;
}

type Execute = (this: { queryString: string }, ...args: unknown[]) => Promise<unknown>;

function timed(original: Execute): Execute {
  return async function (this: { queryString: string }, ...args: unknown[]) {
    const started = performance.now();
    try {
      return await original.apply(this, args);
    } finally {
      add(statement(this.queryString), performance.now() - started);
    }
  };
}

let installed = false;

/** Starts counting in this process (idempotent). */
export function installQueryCounter(): void {
  if (installed) return;
  installed = true;
  const prepared = PostgresJsPreparedQuery.prototype as unknown as Record<"execute" | "all", Execute>;
  prepared.execute = timed(prepared.execute);
  prepared.all = timed(prepared.all);
  const session = PostgresJsSession.prototype as unknown as { transaction: (...args: unknown[]) => Promise<unknown> };
  const transaction = session.transaction;
  session.transaction = async function (this: unknown, ...args: unknown[]) {
    const started = performance.now();
    try {
      return await transaction.apply(this, args);
    } finally {
      add(counts.transactions, performance.now() - started);
    }
  };
}
