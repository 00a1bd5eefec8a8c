import { fileURLToPath } from "node:url";
import { readMigrationFiles } from "drizzle-orm/migrator";
import type { Sql } from "postgres";
import { DEFAULT_SCHEMA, openSql, quoteIdentifier, schemaFromUrl } from "./connection.ts";

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../drizzle", import.meta.url));
/** drizzle-kit's bookkeeping table, kept in the migrated schema itself so each schema carries its own state. */
export const MIGRATIONS_TABLE = "__drizzle_migrations";
/** First half of the advisory lock key (the second is the schema's hash), so the lock collides with no one's. */
const MIGRATION_LOCK_CLASS = 0x53545057;

export interface MigrateOptions {
  /** Schema to migrate; defaults to the URL's `search_path`, then `public`. */
  schema?: string;
}

/**
 * Applies drizzle-kit's pending migrations (from `packages/storage/drizzle`) to a schema.
 *
 * Everything runs in one transaction that first takes a transaction-scoped advisory lock: processes
 * starting together queue up, the first one migrates and the others then find nothing left to do. Postgres
 * DDL is transactional, so a failed migration leaves no half-created schema behind. (drizzle-orm's own
 * `migrate()` takes no lock and runs its bookkeeping outside its transaction, hence this loop over the same
 * files and the same bookkeeping table.)
 */
export async function migrate(target: string | Sql, options: MigrateOptions = {}): Promise<void> {
  const schema = options.schema ?? (typeof target === "string" ? schemaFromUrl(target) : undefined) ?? DEFAULT_SCHEMA;
  if (typeof target !== "string") return migrateWith(target, schema);
  const sql = openSql(target, { schema, max: 1 });
  try {
    await migrateWith(sql, schema);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function migrateWith(sql: Sql, schema: string): Promise<void> {
  const migrations = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER });
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK_CLASS}, hashtext(${schema}))`;
    await tx`create schema if not exists ${tx(schema)}`;
    await tx`select set_config('search_path', ${quoteIdentifier(schema)}, true)`;
    await tx`create table if not exists ${tx(schema)}.${tx(MIGRATIONS_TABLE)} (
      id serial primary key, hash text not null, created_at bigint)`;
    const [last] = await tx<{ createdAt: string | null }[]>`
      select max(created_at)::text as "createdAt" from ${tx(schema)}.${tx(MIGRATIONS_TABLE)}`;
    const appliedUntil = Number(last?.createdAt ?? 0);
    for (const migration of migrations) {
      if (migration.folderMillis <= appliedUntil) continue;
      for (const statement of migration.sql) {
        if (statement.trim() !== "") await tx.unsafe(statement);
      }
      await tx`insert into ${tx(schema)}.${tx(MIGRATIONS_TABLE)} (hash, created_at)
        values (${migration.hash}, ${migration.folderMillis})`;
    }
  });
}
