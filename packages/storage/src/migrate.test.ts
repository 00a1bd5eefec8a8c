import { randomBytes } from "node:crypto";
import { DEFAULT_TEST_DATABASE_URL } from "@stepwise/testkit/database";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { afterAll, describe, expect, it } from "vitest";
import { createDatabase, openSql } from "./connection.ts";
import { MIGRATIONS_FOLDER, MIGRATIONS_TABLE, migrate } from "./migrate.ts";

const baseUrl = process.env.DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
const admin = openSql(baseUrl, { max: 2 });
const schemas: string[] = [];
const MIGRATION_COUNT = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER }).length;

function freshSchema(): string {
  const schema = `test_migrate_${randomBytes(5).toString("hex")}`;
  schemas.push(schema);
  return schema;
}

async function tablesIn(schema: string): Promise<string[]> {
  const rows = await admin<{ name: string }[]>`
    select table_name as name from information_schema.tables where table_schema = ${schema} order by 1`;
  return rows.map((row) => row.name);
}

async function appliedMigrations(schema: string): Promise<number> {
  const [row] = await admin<{ n: number }[]>`select count(*)::int as n from ${admin(schema)}.${admin(MIGRATIONS_TABLE)}`;
  return row?.n ?? 0;
}

afterAll(async () => {
  for (const schema of schemas) await admin`drop schema if exists ${admin(schema)} cascade`;
  await admin.end();
});

const EXPECTED_TABLES = [
  MIGRATIONS_TABLE,
  "activities",
  "child_results",
  "event_buses",
  "event_deliveries",
  "event_rules",
  "execution_threads",
  "executions",
  "history_events",
  "pending_executions",
  "schedule_groups",
  "schedules",
  "state_machine_aliases",
  "state_machine_versions",
  "state_machines",
  "task_tokens",
  "timers",
  "webhooks",
];

describe("migrate", () => {
  it("creates every table in the requested schema, and a second run changes nothing", async () => {
    const schema = freshSchema();
    await migrate(baseUrl, { schema });
    expect(await tablesIn(schema)).toEqual(EXPECTED_TABLES);
    expect(await appliedMigrations(schema)).toBe(MIGRATION_COUNT);

    await migrate(baseUrl, { schema });
    expect(await appliedMigrations(schema)).toBe(MIGRATION_COUNT);
  });

  it("takes the schema from the URL's search_path", async () => {
    const schema = freshSchema();
    await migrate(`${baseUrl}?search_path=${schema}`);
    expect(await tablesIn(schema)).toEqual(EXPECTED_TABLES);
  });

  it("lets several processes migrate the same schema at once: one applies, the others wait and skip", async () => {
    const schema = freshSchema();
    await Promise.all(Array.from({ length: 6 }, () => migrate(baseUrl, { schema })));
    expect(await tablesIn(schema)).toEqual(EXPECTED_TABLES);
    expect(await appliedMigrations(schema)).toBe(MIGRATION_COUNT);
  });

  it("migrates through an existing pool", async () => {
    const schema = freshSchema();
    const handle = createDatabase(baseUrl, { schema, max: 3 });
    try {
      await Promise.all([migrate(handle.sql, { schema }), migrate(handle.sql, { schema })]);
      const [row] = await handle.sql<{ n: number }[]>`select count(*)::int as n from state_machines`;
      expect(row?.n).toBe(0);
    } finally {
      await handle.close();
    }
  });
});
