import { describe, expect, it } from "vitest";
import { DeferredWrites } from "./deferred-writes.ts";

describe("DeferredWrites", () => {
  it("settles when every write has succeeded", async () => {
    const writes = new DeferredWrites();
    const done: number[] = [];
    writes.add(new Promise((resolve) => setTimeout(() => resolve(done.push(1)), 5)));
    writes.add(Promise.resolve().then(() => done.push(2)));
    await writes.settle();
    expect(done.sort()).toEqual([1, 2]);
    expect(await writes.firstError()).toBeUndefined();
  });

  it("reports the first failed write, not the ones that failed after it", async () => {
    const writes = new DeferredWrites();
    writes.add(Promise.resolve());
    writes.add(new Promise((_, reject) => setTimeout(() => reject(new Error("duplicate key")), 5)));
    writes.add(Promise.reject(new Error("current transaction is aborted")));
    await expect(writes.settle()).rejects.toThrow("duplicate key");
    expect(await writes.firstError()).toEqual(new Error("duplicate key"));
  });
});
