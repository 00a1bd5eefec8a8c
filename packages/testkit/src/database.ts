import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { createDatabase, type Database, migrate, openSql } from "@stepwise/storage";
import postgres, { type Sql } from "postgres";

export const DEFAULT_TEST_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test";

export interface TestDatabase {
  /** Connection URL selecting the test schema (`?search_path=`), for code that opens its own pool. */
  url: string;
  db: Database;
  sql: Sql;
  schema: string;
  /** Closes the pool and drops the schema with everything in it. */
  drop(): Promise<void>;
}

/**
 * A freshly migrated, uniquely named Postgres schema on `DATABASE_URL` (default: the local `test` database),
 * so test files run in parallel without seeing each other's rows. Call `drop()` in `afterAll`.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const explicitUrl = process.env.DATABASE_URL || undefined;
  const baseUrl = explicitUrl ?? DEFAULT_TEST_DATABASE_URL;
  await assertReachable(baseUrl, explicitUrl !== undefined);
  const schema = `test_${randomBytes(6).toString("hex")}`;
  const url = withSearchPath(baseUrl, schema);
  await migrate(url);
  const handle = createDatabase(url, { max: 5 });
  return {
    url,
    db: handle.db,
    sql: handle.sql,
    schema,
    async drop() {
      await handle.close();
      const admin = openSql(baseUrl, { max: 1 });
      try {
        await admin`drop schema if exists ${admin(schema)} cascade`;
      } finally {
        await admin.end({ timeout: 5 });
      }
    },
  };
}

function withSearchPath(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set("search_path", schema);
  return parsed.toString();
}

async function assertReachable(url: string, explicit: boolean): Promise<void> {
  const probe = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await probe`select 1`;
  } catch (cause) {
    const where = new URL(url).host;
    if (explicit) throw new Error(`DATABASE_URL (${where}) is unreachable: ${String(cause)}`, { cause });
    // A container fallback (@testcontainers/postgresql) would need a Docker engine and that dependency.
    const docker = existsSync("/var/run/docker.sock")
      ? "A Docker engine is present, but Stepwise does not depend on @testcontainers/postgresql."
      : "No Docker engine is available to start one either.";
    throw new Error(
      `No Postgres at ${where} for the tests (${String(cause)}). ${docker} ` +
        "Set DATABASE_URL to a Postgres you can create schemas in, or start the local server " +
        "(e.g. `pg_ctlcluster <version> main start`).",
      { cause },
    );
  } finally {
    await probe.end({ timeout: 1 });
  }
}
