import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres, { type Sql } from "postgres";
import * as schema from "./schema/index.ts";

export type Schema = typeof schema;
export type Database = PostgresJsDatabase<Schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Anything a repository can run its queries on: the pool, or an open transaction. */
export type Executor = Database | Transaction;

export interface DatabaseOptions {
  /** Postgres schema the tables live in (the connection's search_path); the URL's `search_path` otherwise. */
  schema?: string;
  /** Pool size. */
  max?: number;
}

export interface DatabaseHandle {
  sql: Sql;
  db: Database;
  schema: string;
  close(): Promise<void>;
}

export const DEFAULT_SCHEMA = "public";

/** The schema a connection URL selects with `?search_path=`, the way postgres.js reads it. */
export function schemaFromUrl(url: string): string | undefined {
  return new URL(url).searchParams.get("search_path") ?? undefined;
}

export function openSql(url: string, options: DatabaseOptions = {}): Sql {
  const schemaName = options.schema ?? schemaFromUrl(url);
  // postgres.js lets URL parameters override `connection`, so the schema travels one way only.
  const bare = new URL(url);
  bare.searchParams.delete("search_path");
  return postgres(bare.toString(), {
    max: options.max ?? 10,
    backoff: reconnectDelaySeconds,
    // postgres.js prints NOTICEs ("schema already exists, skipping") to the console by default.
    onnotice: () => {},
    connection: {
      // Statements are prepared (no extra round trip to describe them), but planned for their values each
      // time: a generic plan for `= any($1)` or a join on unnest($1), made while a table was nearly empty,
      // is a sequential scan kept ever after (the task checks' cost once grew with every task ever run).
      plan_cache_mode: "force_custom_plan",
      ...(schemaName === undefined ? {} : { search_path: quoteIdentifier(schemaName) }),
    },
  });
}

/**
 * How long a pool connection waits before connecting again, after `failures` failed connects in a row
 * (postgres.js counts them for the whole pool). Its default grows as 3^failures/100 s up to 20 s: a
 * Postgres restart of two seconds fails every connection of the pool several times, and the workers
 * then sat idle for 10–16 s after Postgres was back (the chaos test saw it). Capped at one second, a
 * pool is back within about a second of its database; the jitter keeps processes from reconnecting in
 * step.
 */
export function reconnectDelaySeconds(failures: number): number {
  return (0.5 + Math.random() / 2) * Math.min(0.05 * 2 ** failures, 1);
}

export function createDatabase(url: string, options: DatabaseOptions = {}): DatabaseHandle {
  const sql = openSql(url, options);
  return {
    sql,
    db: drizzle(sql, { schema }),
    schema: options.schema ?? schemaFromUrl(url) ?? DEFAULT_SCHEMA,
    close: () => sql.end({ timeout: 5 }),
  };
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
