/**
 * `npm start` runs production code only: the start script, run as package.json writes it, with a hook that
 * logs every module Node loads, loads nothing of @stepwise/testkit and no other test harness.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createTestDatabase, deleteQueueKeys, freePort, probe, REPO_ROOT, type TestDatabase } from "@stepwise/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const register = fileURLToPath(new URL("./module-log/register.mjs", import.meta.url));
/**
 * Test code: @stepwise/testkit, test files, anything in a `test/` or `e2e/` folder, and the harness files
 * named as such (AWS's TestState action, `test-state.ts`, is production code).
 */
const TEST_CODE = /^packages\/testkit\/|\.test\.ts$|\/(test|e2e)\/|(test-(support|fixtures|server|api|database)|-test-support)\.ts$/;

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

describe("npm start", () => {
  let database: TestDatabase;
  let dir: string;
  let child: ChildProcess | undefined;
  const prefix = `stepwise-startup-${process.pid}`;

  beforeAll(async () => {
    database = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), "stepwise-modules-"));
  });

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child?.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    await deleteQueueKeys(REDIS_URL, prefix);
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("loads the API, worker and scheduler and not one module of a test harness", async () => {
    const start = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { scripts: { start: string } }).scripts.start;
    const [command, ...args] = start.split(" ");
    expect(command).toBe("tsx");
    const log = join(dir, "modules.log");
    const port = await freePort();
    child = spawn(join(REPO_ROOT, "node_modules/.bin/tsx"), args, {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import=${pathToFileURL(register).href}`,
        STEPWISE_MODULE_LOG: log,
        DATABASE_URL: database.url,
        REDIS_URL,
        STEPWISE_QUEUE_PREFIX: prefix,
        STEPWISE_DATA_DIR: dir,
        HOST: "127.0.0.1",
        PORT: String(port),
        LOG_LEVEL: "silent",
      },
      stdio: ["ignore", "inherit", "inherit"],
    });
    const deadline = Date.now() + 45_000;
    while ((await probe(`http://127.0.0.1:${port}/readyz`)) !== 200) {
      expect(child.exitCode, "npm start exited before it was ready").toBeNull();
      expect(Date.now() < deadline, "npm start was not ready within 45 s").toBe(true);
      await new Promise((r) => setTimeout(r, 200));
    }

    const root = pathToFileURL(REPO_ROOT).href;
    const loaded = readFileSync(log, "utf8")
      .split("\n")
      .filter((url) => url.startsWith(root) && !url.startsWith(`${root}node_modules/`))
      .map((url) => url.slice(root.length))
      .filter((path) => !path.startsWith("apps/all-in-one/test/module-log/"));
    // The log is complete enough to prove anything: each process part's entry module is in it.
    for (const part of [
      "apps/all-in-one/src/main.ts",
      "apps/api/src/app.ts",
      "packages/runtime/src/index.ts",
      "packages/storage/src/index.ts",
    ]) {
      expect(loaded).toContain(part);
    }
    expect(loaded.filter((path) => TEST_CODE.test(path))).toEqual([]);
  }, 60_000);
});
