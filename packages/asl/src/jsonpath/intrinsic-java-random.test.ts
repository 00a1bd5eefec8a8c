import { describe, expect, it } from "vitest";
import { JavaRandom } from "./intrinsic-java-random.ts";

// Expected values printed by java.util.Random on a JVM.
describe("JavaRandom", () => {
  it("matches java.util.Random.nextInt(bound)", () => {
    expect(new JavaRandom(42n).nextInt(10)).toBe(0);
    expect(new JavaRandom(42n).nextInt(100)).toBe(30);
    expect(new JavaRandom(0n).nextInt(10)).toBe(0);
  });

  it("matches the power-of-two shortcut", () => {
    expect(new JavaRandom(42n).nextInt(16)).toBe(11);
  });

  it("matches a sequence from a negative seed with a large bound", () => {
    const random = new JavaRandom(-7n);
    expect(Array.from({ length: 5 }, () => random.nextInt(1000000007))).toEqual([577934662, 935951290, 445645583, 119890471, 314447087]);
  });
});
