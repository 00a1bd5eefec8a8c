import { createTestDatabase, type TestDatabase } from "@stepwise/testkit/database";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase } from "../connection.ts";
import { TaskDoesNotExist } from "../errors.ts";
import { ACCOUNT } from "../test-fixtures.ts";
import { type TokenRow, writeExecutionRows } from "./execution-rows.ts";
import {
  type ClosedTaskTokenStatus,
  claimActivityTask,
  closeTaskTokens,
  getTaskToken,
  heartbeatTaskToken,
  taskTokenStatuses,
} from "./task-tokens.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

const executionArn = `${ACCOUNT}:execution:m:e`;
const activityArn = `${ACCOUNT}:activity:workers`;
const token = (token: string, extra: { activityArn?: string; input?: string; now?: Date } = {}) => ({
  token,
  executionArn,
  threadId: "",
  stateName: "Task",
  ...extra,
});

/** Issues a token as a transition does; false if it was issued already. */
const createTaskToken = async (db: TestDatabase["db"], { executionArn: arn, ...row }: TokenRow & { executionArn: string }) =>
  (await writeExecutionRows(db, [{ executionArn: arn, tokens: [row] }])).tokensIssued > 0;

/** Closes one token; whether this call closed it. */
const closeTaskToken = async (token: string, status: ClosedTaskTokenStatus, now?: Date) =>
  (await closeTaskTokens(t.db, [{ token, status }], now)).has(token);

describe("task tokens", () => {
  it("issues a token once and closes it once", async () => {
    expect(await createTaskToken(t.db, token("cb-1"))).toBe(true);
    expect(await createTaskToken(t.db, token("cb-1"))).toBe(false);
    expect(await getTaskToken(t.db, "cb-1")).toMatchObject({ status: "PENDING", activityArn: null, closedAt: null });

    expect(await closeTaskToken("cb-1", "SUCCEEDED", new Date("2025-01-01T00:00:00Z"))).toBe(true);
    expect(await getTaskToken(t.db, "cb-1")).toMatchObject({ status: "SUCCEEDED", closedAt: new Date("2025-01-01T00:00:00Z") });
    expect(await closeTaskToken("cb-1", "FAILED")).toBe(false);
    expect((await getTaskToken(t.db, "cb-1")).status).toBe("SUCCEEDED");
  });

  it("closes many tokens in one call, each once, and only those still open", async () => {
    for (const name of ["many-a", "many-b", "many-c"]) await createTaskToken(t.db, token(name));
    await closeTaskToken("many-c", "FAILED");
    const closed = await closeTaskTokens(t.db, [
      { token: "many-a", status: "SUCCEEDED" },
      { token: "many-b", status: "TIMED_OUT" },
      { token: "many-a", status: "FAILED" },
      { token: "many-c", status: "SUCCEEDED" },
    ]);
    expect([...closed].sort()).toEqual(["many-a", "many-b"]);
    expect((await getTaskToken(t.db, "many-b")).status).toBe("TIMED_OUT");
    expect((await getTaskToken(t.db, "many-c")).status).toBe("FAILED");
    await expect(closeTaskTokens(t.db, [{ token: "many-never", status: "SUCCEEDED" }])).rejects.toThrow(TaskDoesNotExist);
  });

  it("reads the status of many tokens in one call, leaving out those never issued", async () => {
    await createTaskToken(t.db, token("st-open"));
    await createTaskToken(t.db, token("st-done"));
    await closeTaskToken("st-done", "FAILED");
    const statuses = await taskTokenStatuses(t.db, ["st-open", "st-done", "st-never"]);
    expect(Object.fromEntries(statuses)).toEqual({ "st-open": "PENDING", "st-done": "FAILED" });
  });

  it("reads token statuses through the index however small the table was when the statement was first run", async () => {
    // A prepared statement settles on a generic plan after five runs; planned while the table was tiny,
    // that was a sequential scan, and every later read went through every token ever issued.
    const one = createDatabase(t.url, { max: 1 });
    try {
      const issue = (from: number, to: number) =>
        one.db.execute(sql`
          insert into task_tokens (token, execution_arn, thread_id, state_name)
          select 'plan-' || n, ${executionArn}, '', 'Task' from generate_series(${from}::int, ${to}::int) as n`);
      const tuplesScanned = async () => {
        await one.db.execute(sql`select pg_stat_force_next_flush()`);
        await one.db.execute(sql`select pg_stat_clear_snapshot()`);
        const [row] = await one.db.execute<{ read: number }>(
          sql`select seq_tup_read::int as read from pg_stat_user_tables where relname = 'task_tokens' and schemaname = current_schema()`,
        );
        return row?.read ?? 0;
      };
      await issue(1, 60);
      await one.db.execute(sql`analyze task_tokens`);
      const sixteen = Array.from({ length: 16 }, (_, i) => `plan-${i + 1}`);
      for (let i = 0; i < 8; i++) await taskTokenStatuses(one.db, sixteen);
      await issue(61, 5000);
      const before = await tuplesScanned();
      expect(Object.fromEntries(await taskTokenStatuses(one.db, ["plan-7", "plan-4999"]))).toEqual({
        "plan-7": "PENDING",
        "plan-4999": "PENDING",
      });
      expect((await tuplesScanned()) - before).toBe(0);
    } finally {
      await one.close();
    }
  });

  it("throws TaskDoesNotExist for a token never issued", async () => {
    await expect(getTaskToken(t.db, "nope")).rejects.toThrow(TaskDoesNotExist);
    await expect(closeTaskToken("nope", "SUCCEEDED")).rejects.toThrow(TaskDoesNotExist);
    await expect(heartbeatTaskToken(t.db, "nope", null)).rejects.toThrow(TaskDoesNotExist);
  });

  it("moves the heartbeat deadline of open tokens only", async () => {
    await createTaskToken(t.db, token("hb"));
    const deadline = new Date("2025-01-01T00:01:00Z");
    expect(await heartbeatTaskToken(t.db, "hb", deadline)).toMatchObject({ heartbeatDeadline: deadline });
    await closeTaskToken("hb", "TIMED_OUT");
    expect(await heartbeatTaskToken(t.db, "hb", new Date("2025-01-01T00:02:00Z"))).toBeUndefined();
  });

  it("hands activity tasks out oldest first, each to one worker, even to concurrent pollers", async () => {
    for (const [i, name] of ["act-a", "act-b", "act-c"].entries()) {
      await createTaskToken(t.db, token(name, { activityArn, input: `{"n":${i}}`, now: new Date(Date.UTC(2025, 0, 1, 0, 0, 3 - i)) }));
    }
    const first = await claimActivityTask(t.db, activityArn, "w0");
    expect(first).toMatchObject({ token: "act-c", status: "STARTED", workerName: "w0", input: '{"n":2}' });

    const claims = await Promise.all(["w1", "w2", "w3"].map((worker) => claimActivityTask(t.db, activityArn, worker)));
    const tokens = claims.flatMap((claim) => (claim ? [claim.token] : []));
    expect(tokens.sort()).toEqual(["act-a", "act-b"]);
    expect(await claimActivityTask(t.db, `${ACCOUNT}:activity:idle`, "w4")).toBeUndefined();
  });
});
