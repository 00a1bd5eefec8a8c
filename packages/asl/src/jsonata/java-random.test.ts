import { describe, expect, it } from "vitest";
import { javaRandomNextDouble } from "./java-random.ts";

describe("javaRandomNextDouble", () => {
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
