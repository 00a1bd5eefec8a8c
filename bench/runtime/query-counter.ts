/**
 * Counts the Postgres statements a process sends, by kind and table, with the time spent waiting for
 * each kind. pg_stat_statements is not loaded on the bench host, and the runtime builds its own pool,
 * so the count hooks postgres.js's query class, which every statement goes through (drizzle's and the
 * store's SQL text alike), and drizzle's transactions. Bench-only: it patches shared prototypes for
 * the whole process.
 */
import { PostgresJsSession } from "drizzle-orm/postgres-js/session";
// Not among the package's exports (nor typed); by path, it is the same module postgres.js itself loads.
// @ts-expect-error: no declaration file
import { Query } from "../../node_modules/postgres/src/query.js";

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

interface PostgresQuery {
  strings: readonly string[];
  executed: boolean;
  resolve(value: unknown): unknown;
  reject(error: unknown): unknown;
}

/** BEGIN, COMMIT and ROLLBACK are counted as transactions, not statements. */
const TRANSACTION_CONTROL = /^\s*(begin|commit|rollback)\b/i;

/** Times a query from when it is sent until postgres.js settles it. */
function timed(original: () => Promise<void>): () => Promise<void> {
  return function (this: PostgresQuery) {
    const text = this.strings.join("?");
    if (!this.executed && !TRANSACTION_CONTROL.test(text)) {
      const started = performance.now();
      const { resolve, reject } = this;
      const done = () => add(statement(text), performance.now() - started);
      this.resolve = (value) => {
        done();
        return resolve(value);
      };
      this.reject = (error) => {
        done();
        return reject(error);
      };
    }
    return original.call(this);
  };
}

let installed = false;

/** Starts counting in this process (idempotent). */
export function installQueryCounter(): void {
  if (installed) return;
  installed = true;
  const query = Query.prototype as unknown as { handle: () => Promise<void> };
  query.handle = timed(query.handle);
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
