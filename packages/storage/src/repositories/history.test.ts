import type { HistoryEvent } from "@stepwise/asl";
import { createTestDatabase, type TestDatabase } from "@stepwise/testkit/database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuplicateHistoryEvent } from "../errors.ts";
import { givenExecution, givenStateMachine } from "../test-fixtures.ts";
import { lockExecution } from "./executions.ts";
import { appendEvents, getHistory, getHistoryPage, historyLength } from "./history.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await givenStateMachine(t.db, "m");
});
afterAll(() => t.drop());

const passEntered = (id: number): HistoryEvent => ({
  id,
  previousEventId: id - 1,
  timestamp: `2025-01-01T00:00:0${id}.123Z`,
  type: "PassStateEntered",
  stateEnteredEventDetails: { name: "P", input: "{}", inputDetails: { truncated: false } },
});

describe("appendEvents", () => {
  it("appends after the lock's next event id, which then follows them", async () => {
    const { arn } = await givenExecution(t.db, "m", "append");
    await t.db.transaction(async (tx) => {
      const { nextEventId } = await lockExecution(tx, arn);
      await appendEvents(tx, arn, [passEntered(nextEventId), passEntered(nextEventId + 1)]);
    });
    expect(await historyLength(t.db, arn)).toBe(3);
    expect((await t.db.transaction((tx) => lockExecution(tx, arn))).nextEventId).toBe(4);
    const history = await getHistory(t.db, arn);
    expect(history.map((event) => event.id)).toEqual([1, 2, 3]);
    expect(history[1]).toEqual({
      timestamp: "2025-01-01T00:00:02.123Z",
      type: "PassStateEntered",
      id: 2,
      previousEventId: 1,
      stateEnteredEventDetails: { name: "P", input: "{}", inputDetails: { truncated: false } },
    });
  });

  it("refuses an id that is taken, and keeps none of the batch", async () => {
    const { arn } = await givenExecution(t.db, "m", "duplicate");
    await appendEvents(t.db, arn, [passEntered(2)]);
    await expect(t.db.transaction((tx) => appendEvents(tx, arn, [passEntered(3), passEntered(2)]))).rejects.toThrow(DuplicateHistoryEvent);
    expect((await getHistory(t.db, arn)).map((event) => event.id)).toEqual([1, 2]);
    expect(await historyLength(t.db, arn)).toBe(2);
  });

  it("appends a long batch (a Pass loop's transaction) in one go", async () => {
    const { arn } = await givenExecution(t.db, "m", "long");
    const ids = Array.from({ length: 40 }, (_, i) => i + 2);
    await appendEvents(
      t.db,
      arn,
      ids.map((id) => ({ ...passEntered(id), timestamp: "2025-01-01T00:00:09.000Z" })),
    );
    expect((await getHistory(t.db, arn)).map((event) => event.id)).toEqual([1, ...ids]);
    expect(await historyLength(t.db, arn)).toBe(41);
  });

  it("lets only one of two writers racing for the same id succeed", async () => {
    const { arn } = await givenExecution(t.db, "m", "race");
    const outcomes = await Promise.allSettled([appendEvents(t.db, arn, [passEntered(2)]), appendEvents(t.db, arn, [passEntered(2)])]);
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    expect(outcomes.find((outcome) => outcome.status === "rejected")).toMatchObject({
      reason: expect.any(DuplicateHistoryEvent),
    });
  });
});

describe("getHistory", () => {
  it("reads forwards or backwards, a page at a time after a cursor", async () => {
    const { arn } = await givenExecution(t.db, "m", "pages");
    await appendEvents(t.db, arn, [2, 3, 4, 5].map(passEntered));
    const ids = (events: HistoryEvent[]) => events.map((event) => event.id);
    expect(ids(await getHistory(t.db, arn, { limit: 2 }))).toEqual([1, 2]);
    expect(ids(await getHistory(t.db, arn, { limit: 2, afterId: 2 }))).toEqual([3, 4]);
    expect(ids(await getHistory(t.db, arn, { reverse: true, limit: 2 }))).toEqual([5, 4]);
    expect(ids(await getHistory(t.db, arn, { reverse: true, afterId: 4 }))).toEqual([3, 2, 1]);
    expect(await getHistory(t.db, "arn:unknown")).toEqual([]);
  });
});

describe("getHistoryPage", () => {
  const withInput = (id: number, bytes: number): HistoryEvent => ({
    ...passEntered(id),
    stateEnteredEventDetails: { name: "P", input: JSON.stringify("x".repeat(bytes)), inputDetails: { truncated: false } },
  });
  const ids = (events: HistoryEvent[]) => events.map((event) => event.id);

  it("stops a page at the byte budget as well as the count, and says more follow", async () => {
    const { arn } = await givenExecution(t.db, "m", "bytes");
    // Events 2..9 hold 100 KB each: a 250 KB page holds two of them.
    await appendEvents(
      t.db,
      arn,
      [2, 3, 4, 5, 6, 7, 8, 9].map((id) => withInput(id, 100_000)),
    );
    const read = (query: { afterId?: number; reverse?: boolean; limit: number }) =>
      getHistoryPage(t.db, arn, { ...query, maxBytes: 250_000 });

    const first = await read({ limit: 1000 });
    expect(ids(first.events)).toEqual([1, 2, 3]);
    expect(first.more).toBe(true);
    expect(ids((await read({ afterId: 3, limit: 1000 })).events)).toEqual([4, 5]);
    expect(await read({ afterId: 7, limit: 1000 })).toMatchObject({ more: false, events: [{ id: 8 }, { id: 9 }] });
    expect(await read({ afterId: 9, limit: 1000 })).toEqual({ events: [], more: false });
    // The count still bounds small events, and a page that ends exactly at the last event says so.
    expect(await read({ limit: 1 })).toMatchObject({ more: true, events: [{ id: 1 }] });
    expect(await read({ afterId: 8, limit: 1 })).toMatchObject({ more: false, events: [{ id: 9 }] });
    // Newest first, from the end or below a cursor.
    expect(ids((await read({ reverse: true, limit: 1000 })).events)).toEqual([9, 8]);
    expect(await read({ reverse: true, afterId: 3, limit: 1000 })).toMatchObject({ more: false, events: [{ id: 2 }, { id: 1 }] });
  });

  it("always holds at least one event, however large, so every page makes progress", async () => {
    const { arn } = await givenExecution(t.db, "m", "huge");
    await appendEvents(t.db, arn, [withInput(2, 200_000), withInput(3, 10)]);
    const pages: number[][] = [];
    let afterId = 0;
    for (;;) {
      const page = await getHistoryPage(t.db, arn, { afterId, limit: 100, maxBytes: 1_000 });
      pages.push(ids(page.events));
      if (!page.more) break;
      afterId = page.events.at(-1)!.id;
    }
    expect(pages).toEqual([[1], [2], [3]]);
  });
});
