import { createTestDatabase, type TestDatabase } from "@stepwise/testkit/database";
import { afterAll, beforeAll, expect, it } from "vitest";
import { givenStateMachine, newExecution } from "../test-fixtures.ts";
import { createExecution, lockExecution, lockExecutionsWithThreads } from "./executions.ts";
import { upsertThreads } from "./threads.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await givenStateMachine(t.db, "m");
});
afterAll(() => t.drop());

it("a writer that waited for the execution lock reads the thread as the previous holder left it", async () => {
  const { execution } = await createExecution(t.db, newExecution("m", "stale"));
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => (locked = r));
  // Writer 1 holds the lock, moves the thread on, commits.
  const first = t.db.transaction(async (tx) => {
    await lockExecution(tx, execution.arn);
    await upsertThreads(tx, execution.arn, [{ threadId: "", position: { state: "NEXT" }, status: "RUNNING" }]);
    locked();
    await held;
  });
  await isLocked;
  // Writer 2 asks for the lock (and the thread) while writer 1 holds it.
  const second = t.db.transaction((tx) => lockExecutionsWithThreads(tx, [{ arn: execution.arn, threadIds: [""] }]));
  await new Promise((r) => setTimeout(r, 300));
  release();
  await first;
  expect((await second).get(execution.arn)?.threads.get("")).toEqual({ state: "NEXT" });
});
