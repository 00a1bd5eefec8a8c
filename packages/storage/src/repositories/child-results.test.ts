import { createTestDatabase, type TestDatabase } from "@stepwise/testkit/database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countChildResults, deleteChildResults, getChildResults, recordChildResult } from "./child-results.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

const arn = "arn:aws:states:us-east-1:123456789012:execution:m:e";

describe("child results", () => {
  it("records each child once, counts them and returns them by index", async () => {
    expect(await recordChildResult(t.db, { executionArn: arn, parentThreadId: "", childIndex: 2, status: "SUCCEEDED", output: "2" })).toBe(
      true,
    );
    expect(await recordChildResult(t.db, { executionArn: arn, parentThreadId: "", childIndex: 0, status: "SUCCEEDED", output: "0" })).toBe(
      true,
    );
    // A redelivered completion of child 2 must not count twice nor overwrite the first result.
    expect(await recordChildResult(t.db, { executionArn: arn, parentThreadId: "", childIndex: 2, status: "FAILED", error: "E" })).toBe(
      false,
    );
    expect(
      await recordChildResult(t.db, { executionArn: arn, parentThreadId: "", childIndex: 1, status: "FAILED", error: "E", cause: "C" }),
    ).toBe(true);
    await recordChildResult(t.db, { executionArn: arn, parentThreadId: "Map/0", childIndex: 0, status: "SUCCEEDED", output: "{}" });

    expect(await countChildResults(t.db, arn, "")).toBe(3);
    expect(await getChildResults(t.db, arn, "")).toEqual([
      { executionArn: arn, parentThreadId: "", childIndex: 0, status: "SUCCEEDED", output: "0", error: null, cause: null },
      { executionArn: arn, parentThreadId: "", childIndex: 1, status: "FAILED", output: null, error: "E", cause: "C" },
      { executionArn: arn, parentThreadId: "", childIndex: 2, status: "SUCCEEDED", output: "2", error: null, cause: null },
    ]);
  });

  it("tells exactly one of concurrent recorders of the same child that it was new", async () => {
    const outcomes = await Promise.all(
      [1, 2, 3].map(() => recordChildResult(t.db, { executionArn: arn, parentThreadId: "race", childIndex: 0, status: "SUCCEEDED" })),
    );
    expect(outcomes.filter(Boolean)).toHaveLength(1);
  });

  it("forgets one parent's children only", async () => {
    expect(await deleteChildResults(t.db, arn, "")).toBe(3);
    expect(await countChildResults(t.db, arn, "")).toBe(0);
    expect(await countChildResults(t.db, arn, "Map/0")).toBe(1);
  });
});
