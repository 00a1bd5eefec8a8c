import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createTestDatabase, type TestDatabase } from "@stepwise/testkit/database";
import { afterAll, beforeAll, expect, it } from "vitest";

const run = promisify(execFile);
const REPO_ROOT = fileURLToPath(new URL("../../..", import.meta.url));

// In a process of its own: unpatched, the driver throws from a setImmediate callback and the process dies.
const SCENARIO = `
import postgres from "postgres";
const url = process.env.SCENARIO_DATABASE_URL;
const sql = postgres(url, { max: 2, onnotice: () => {} });
const admin = postgres(url, { max: 1, onnotice: () => {} });
const pinned = await sql.reserve();
const [{ pid }] = await pinned\`select pg_backend_pid() as pid\`;
await admin\`select pg_terminate_backend(\${pid})\`;
await new Promise((resolve) => setTimeout(resolve, 200));
const late = await pinned\`select 1 as x\`.then(() => "answered", (e) => e.code ?? e.message);
const [{ y }] = await sql\`select 2 as y\`;
process.stdout.write(JSON.stringify({ late, pool: y }));
pinned.release();
await admin.end();
await sql.end({ timeout: 1 });
`;

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

it("Postgres closes a connection under a query: the query fails with CONNECTION_CLOSED and the process lives on (porsager/postgres#1154, patched at install)", async () => {
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", SCENARIO], {
    cwd: REPO_ROOT,
    env: { ...process.env, SCENARIO_DATABASE_URL: database.url },
    timeout: 20_000,
  });
  expect(JSON.parse(stdout)).toEqual({ late: "CONNECTION_CLOSED", pool: 2 });
});
