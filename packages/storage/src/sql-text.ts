/**
 * Statements of the transition hot path, run as SQL text straight on postgres.js. Building a query with
 * drizzle's builder took more worker CPU than Postgres took to run it (a fifth of a worker's time in the
 * runtime bench), and these few statements run for every state of every execution; the rest of the
 * store keeps the builder. postgres.js prepares each text once per connection.
 *
 * Values go in as drizzle's driver sends them: JSON as text, timestamps as ISO strings (drizzle turns
 * postgres.js's own date and JSON serialisers off on the shared client); timestamps come back as text.
 */
import type { Sql } from "postgres";
import type { Executor } from "./connection.ts";

type Value = string | number | boolean | null | readonly (string | null)[] | readonly number[];

/** The postgres.js client under a drizzle database or transaction. */
function clientOf(db: Executor): Sql {
  const client = "$client" in db ? db.$client : (db as unknown as { session: { client: Sql } }).session.client;
  return client as Sql;
}

/** Prepared once per connection; planned with its values each run (see connection.ts). */
export function runSqlText<Row>(db: Executor, text: string, params: readonly Value[]): Promise<Row[]> {
  return clientOf(db).unsafe(text, params as never[], { prepare: true }) as unknown as Promise<Row[]>;
}
