import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../test-database.ts";
import { givenExecution, givenStateMachine } from "../test-fixtures.ts";
import {
  abortOpenThreads,
  compareAndSetThread,
  getThread,
  listStaleThreads,
  listThreads,
  saveThread,
  upsertThread,
  upsertThreads,
} from "./threads.ts";

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
    const created = await upsertThread(t.db, { executionArn: arn, threadId: "Map/0", position: { step: 1 }, status: "RUNNING" });
    expect(created).toMatchObject({ threadId: "Map/0", version: 0, position: { step: 1 } });
    const updated = await upsertThread(t.db, { executionArn: arn, threadId: "Map/0", position: { step: 2 }, status: "WAITING" });
    expect(updated).toMatchObject({ version: 1, position: { step: 2 }, status: "WAITING" });
    expect((await listThreads(t.db, arn)).map((thread) => thread.threadId)).toEqual(["", "Map/0"]);
  });

  it("saves a thread like upsertThread, without reading it back", async () => {
    await saveThread(t.db, { executionArn: arn, threadId: "Map/1", position: { step: 1 }, status: "RUNNING" });
    expect(await getThread(t.db, arn, "Map/1")).toMatchObject({ version: 0, position: { step: 1 }, status: "RUNNING" });
    await saveThread(t.db, { executionArn: arn, threadId: "Map/1", position: { step: 2 }, status: "SUCCEEDED" });
    expect(await getThread(t.db, arn, "Map/1")).toMatchObject({ version: 1, position: { step: 2 }, status: "SUCCEEDED" });
  });

  it("compare-and-set wins on the current version and loses on a stale one", async () => {
    const root = await getThread(t.db, arn, "");
    if (!root) throw new Error("the root thread is missing");
    expect(await compareAndSetThread(t.db, arn, "", root.version, { at: "B" }, "WAITING")).toBe(true);
    // A second writer that read the same version is now stale.
    expect(await compareAndSetThread(t.db, arn, "", root.version, { at: "C" })).toBe(false);
    expect(await getThread(t.db, arn, "")).toMatchObject({ position: { at: "B" }, status: "WAITING", version: root.version + 1 });
    expect(await compareAndSetThread(t.db, arn, "", root.version + 1, { at: "C" })).toBe(true);
    expect(await getThread(t.db, arn, "")).toMatchObject({ position: { at: "C" }, status: "WAITING" });
  });

  it("lets exactly one of several concurrent writers of the same version win", async () => {
    await upsertThread(t.db, { executionArn: arn, threadId: "Parallel/1", position: 0, status: "RUNNING" });
    const wins = await Promise.all([1, 2, 3, 4].map((n) => compareAndSetThread(t.db, arn, "Parallel/1", 0, n)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    const winner = wins.indexOf(true) + 1;
    expect(await getThread(t.db, arn, "Parallel/1")).toMatchObject({ position: winner, version: 1 });
  });

  it("finds no thread that was never written", async () => {
    expect(await getThread(t.db, arn, "Map/99")).toBeUndefined();
    expect(await compareAndSetThread(t.db, arn, "Map/99", 0, {})).toBe(false);
  });

  it("lists threads left RUNNING since before a moment, for the reconciler, and aborts open threads of an ended execution", async () => {
    const other = (await givenExecution(t.db, "m", "stale")).arn;
    await upsertThreads(t.db, [
      { executionArn: other, threadId: "P#0", position: {}, status: "RUNNING" },
      { executionArn: other, threadId: "P#1", position: {}, status: "WAITING" },
    ]);
    const later = new Date(Date.now() + 60_000);
    const stale = (await listStaleThreads(t.db, "RUNNING", later, 100)).filter((r) => r.executionArn === other).map((r) => r.threadId);
    expect(stale.sort()).toEqual(["", "P#0"]);
    expect(await listStaleThreads(t.db, "RUNNING", new Date(Date.now() - 60_000), 100)).toEqual([]);
    expect(await abortOpenThreads(t.db, other)).toBe(3);
    expect((await listThreads(t.db, other)).map((r) => r.status)).toEqual(["ABORTED", "ABORTED", "ABORTED"]);
  });
});
