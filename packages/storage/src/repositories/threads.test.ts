import { createTestDatabase, type TestDatabase } from "@stepwise/testkit/database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { givenExecution, givenStateMachine } from "../test-fixtures.ts";
import { getThread, listStaleThreads, listThreads, upsertThreads } from "./threads.ts";

let t: TestDatabase;
let arn: string;
beforeAll(async () => {
  t = await createTestDatabase();
  await givenStateMachine(t.db, "m");
  arn = (await givenExecution(t.db, "m", "threads")).arn;
});
afterAll(() => t.drop());

describe("threads", () => {
  it("upserts child threads: created at version 0, each overwrite bumps the version", async () => {
    await upsertThreads(t.db, arn, [{ threadId: "Map/0", position: { step: 1 }, status: "RUNNING" }]);
    expect(await getThread(t.db, arn, "Map/0")).toMatchObject({ threadId: "Map/0", version: 0, position: { step: 1 } });
    await upsertThreads(t.db, arn, [{ threadId: "Map/0", position: { step: 2 }, status: "WAITING" }]);
    expect(await getThread(t.db, arn, "Map/0")).toMatchObject({ version: 1, position: { step: 2 }, status: "WAITING" });
    expect((await listThreads(t.db, arn)).map((thread) => thread.threadId)).toEqual(["", "Map/0"]);
  });

  it("finds no thread that was never written", async () => {
    expect(await getThread(t.db, arn, "Map/99")).toBeUndefined();
  });

  it("lists threads left RUNNING since before a moment, for the reconciler", async () => {
    const other = (await givenExecution(t.db, "m", "stale")).arn;
    await upsertThreads(t.db, other, [
      { threadId: "P#0", position: {}, status: "RUNNING" },
      { threadId: "P#1", position: {}, status: "WAITING" },
    ]);
    const later = new Date(Date.now() + 60_000);
    const stale = (await listStaleThreads(t.db, "RUNNING", later, 100)).filter((r) => r.executionArn === other).map((r) => r.threadId);
    expect(stale.sort()).toEqual(["", "P#0"]);
    expect(await listStaleThreads(t.db, "RUNNING", new Date(Date.now() - 60_000), 100)).toEqual([]);
  });
});
