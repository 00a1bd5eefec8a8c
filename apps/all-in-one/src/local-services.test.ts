import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "@stepwise/runtime";
import { Redis } from "ioredis";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { ensurePostgres, ensureRedis } from "./local-services.ts";

// Nothing listens on port 1: that is the "no local service" a fresh machine has.
const NOTHING = { postgres: "postgres://postgres@127.0.0.1:1/postgres", redis: "redis://127.0.0.1:1" };

describe("npm start on a machine with no Postgres or Redis configured or running", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "stepwise-local-"));
  // Run as root, Postgres runs as its own user, which must be able to reach the data directory.
  chmodSync(dataDir, 0o755);
  const logger = createLogger("silent", "test");
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("starts an embedded Postgres that keeps its data between runs", async () => {
    const first = await ensurePostgres(undefined, dataDir, logger, { fallbackUrl: NOTHING.postgres, port: 54391 });
    try {
      const sql = postgres(first.url, { max: 1 });
      await sql`create table kept (x int)`;
      await sql`insert into kept values (42)`;
      await sql.end();
    } finally {
      await first.stop();
    }
    const second = await ensurePostgres(undefined, dataDir, logger, { fallbackUrl: NOTHING.postgres, port: 54391 });
    try {
      const sql = postgres(second.url, { max: 1 });
      expect(await sql`select x from kept`).toEqual([{ x: 42 }]);
      await sql.end();
    } finally {
      await second.stop();
    }
  }, 120_000);

  it("starts a private redis-server when one is installed", async () => {
    const redis = await ensureRedis(undefined, dataDir, logger, { fallbackUrl: NOTHING.redis, port: 63791 });
    try {
      const client = new Redis(redis.url);
      expect(await client.ping()).toBe("PONG");
      client.disconnect();
    } finally {
      await redis.stop();
    }
  });

  it("uses what is configured, and a reachable local service, without starting anything", async () => {
    expect((await ensurePostgres("postgres://example/db", dataDir, logger)).url).toBe("postgres://example/db");
    const local = await ensureRedis(undefined, dataDir, logger, { fallbackUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" });
    expect(local.url).toBe(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
  });
});
