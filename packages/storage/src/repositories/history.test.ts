import type { HistoryEvent } from "@stepwise/asl";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuplicateHistoryEvent } from "../errors.ts";
import { createTestDatabase, type TestDatabase } from "../test-database.ts";
import { givenExecution, givenStateMachine } from "../test-fixtures.ts";
import { lockExecution } from "./executions.ts";
import { appendEvents, getHistory, historyLength } from "./history.ts";

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
