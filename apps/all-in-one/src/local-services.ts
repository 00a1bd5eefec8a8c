/**
 * For `npm start` on a fresh machine: use the configured or local Postgres and Redis when they answer,
 * otherwise start private ones (embedded Postgres from npm; `redis-server` if installed) under
 * `.stepwise/`, so one command runs the whole system.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { type Logger, reachable, startPrivatePostgres, startPrivateRedis } from "@stepwise/runtime";

export interface LocalService {
  url: string;
  stop(): Promise<void>;
}

export const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres";
export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

/** Where to look before starting a private service, and which port a private one takes. */
export interface LocalServiceOptions {
  fallbackUrl?: string;
  port?: number;
}

/** What is configured, or else what answers at the usual local address; undefined when neither. */
async function existing(configured: string | undefined, fallback: string): Promise<LocalService | undefined> {
  if (configured) return { url: configured, stop: async () => {} };
  if (await reachable(fallback)) return { url: fallback, stop: async () => {} };
  return undefined;
}

export async function ensurePostgres(
  configured: string | undefined,
  dataDir: string,
  logger: Logger,
  options: LocalServiceOptions = {},
): Promise<LocalService> {
  const found = await existing(configured, options.fallbackUrl ?? DEFAULT_DATABASE_URL);
  if (found) return found;
  const port = options.port ?? 54329;
  const pg = await startPrivatePostgres(dataDir, port, (err) => logger.debug({ err }, "embedded Postgres"));
  logger.info(
    { dir: join(dataDir, "postgres"), port },
    "started embedded Postgres (no DATABASE_URL configured and none on 127.0.0.1:5432)",
  );
  return pg;
}

export async function ensureRedis(
  configured: string | undefined,
  dataDir: string,
  logger: Logger,
  options: LocalServiceOptions = {},
): Promise<LocalService> {
  const found = await existing(configured, options.fallbackUrl ?? DEFAULT_REDIS_URL);
  if (found) return found;
  if (spawnSync("redis-server", ["--version"]).status !== 0) {
    throw new Error("No Redis: set REDIS_URL, start Redis on 127.0.0.1:6379, or install redis-server so Stepwise can start a private one");
  }
  const port = options.port ?? 63790;
  const redis = await startPrivateRedis(join(dataDir, "redis"), port);
  // Whatever way this process ends, its private Redis ends with it.
  process.once("exit", () => void redis.stop());
  logger.info({ port }, "started a private redis-server (no REDIS_URL configured and none on 127.0.0.1:6379)");
  return redis;
}
