import { describe, expect, it } from "vitest";
import { parseAccessKeys } from "./access-keys.ts";

describe("STEPWISE_ACCESS_KEYS", () => {
  it("reads id:secret pairs; a secret may contain colons", () => {
    expect([...parseAccessKeys("AKID1:s1, AKID2:a:b,")]).toEqual([
      ["AKID1", "s1"],
      ["AKID2", "a:b"],
    ]);
    expect(parseAccessKeys("").size).toBe(0);
  });

  it("refuses an entry without a secret", () => {
    expect(() => parseAccessKeys("AKID1")).toThrow(/ACCESS_KEY_ID:SECRET/);
    expect(() => parseAccessKeys("AKID1:")).toThrow(/ACCESS_KEY_ID:SECRET/);
  });
});
