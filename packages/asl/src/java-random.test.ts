import { describe, expect, it } from "vitest";
import { JavaRandom, toJavaLong } from "./java-random.ts";

const javaRandomNextDouble = (seed: number) => new JavaRandom(toJavaLong(seed)).nextDouble();

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

describe("JavaRandom.nextDouble", () => {
  it("is java.util.Random's first nextDouble, which AWS returns for $random(42)", () => {
    expect(javaRandomNextDouble(42)).toBe(0.7275636800328681);
  });

  it("truncates the seed towards zero, as Java's (long) cast does", () => {
    expect(javaRandomNextDouble(42.9)).toBe(javaRandomNextDouble(42));
    expect(javaRandomNextDouble(-1.7)).toBe(javaRandomNextDouble(-1));
    expect(javaRandomNextDouble(Number.NaN)).toBe(javaRandomNextDouble(0));
    expect(javaRandomNextDouble(1e300)).toBe(javaRandomNextDouble(2 ** 63));
  });

  it("stays in [0, 1) and depends on the seed", () => {
    const values = [0, 1, -1, 7, 2 ** 40, 123_456_789].map(javaRandomNextDouble);
    for (const value of values) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
    expect(new Set(values).size).toBe(values.length);
  });

  it("reads only the low 48 bits of the seed, like java.util.Random", () => {
    expect(javaRandomNextDouble(2 ** 48 + 5)).toBe(javaRandomNextDouble(5));
  });
});
