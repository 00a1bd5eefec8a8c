import { openSql } from "@stepwise/storage";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase, DEFAULT_TEST_DATABASE_URL } from "./database.ts";

describe("createTestDatabase", () => {
  const configured = process.env.DATABASE_URL;
  afterEach(() => {
    if (configured === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = configured;
  });

  it("says which DATABASE_URL it could not reach", async () => {
    process.env.DATABASE_URL = "postgres://postgres@127.0.0.1:1/test";
    await expect(createTestDatabase()).rejects.toThrow(/^DATABASE_URL \(127\.0\.0\.1:1\) is unreachable/);
  });

  it("gives each caller its own migrated schema and drops it afterwards", async () => {
    const [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    if (!a || !b) throw new Error("no test database");
    expect(a.schema).not.toBe(b.schema);
    await a.sql`insert into activities (arn, name) values ('arn:a', 'a')`;
    const [inB] = await b.sql<{ n: number }[]>`select count(*)::int as n from activities`;
    expect(inB?.n).toBe(0);
    expect(new URL(a.url).searchParams.get("search_path")).toBe(a.schema);

    await Promise.all([a.drop(), b.drop()]);
    const admin = openSql(process.env.DATABASE_URL || DEFAULT_TEST_DATABASE_URL, { max: 1 });
    try {
      const left = await admin`select 1 from pg_namespace where nspname in (${a.schema}, ${b.schema})`;
      expect(left).toHaveLength(0);
    } finally {
      await admin.end();
    }
  });
});
