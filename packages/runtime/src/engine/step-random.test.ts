import { describe, expect, it } from "vitest";
import { stepRandom } from "./step-random.ts";

const draw = (random: () => number, n: number) => Array.from({ length: n }, random);

describe("a step's randomness, from its execution's seed", () => {
  it("is the same for the same seed, event id and step, and differs when any of them differs", () => {
    const first = draw(stepRandom("a1b2", 7, 0), 40);
    expect(draw(stepRandom("a1b2", 7, 0), 40)).toEqual(first);
    for (const other of [stepRandom("a1b3", 7, 0), stepRandom("a1b2", 8, 0), stepRandom("a1b2", 7, 1)]) {
      expect(draw(other, 40)).not.toEqual(first);
    }
  });

  it("draws numbers in [0, 1) spread over the range", () => {
    const values = draw(stepRandom("seed", 1, 0), 4000);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    const buckets = Array.from({ length: 10 }, (_, i) => values.filter((v) => v >= i / 10 && v < (i + 1) / 10).length);
    for (const count of buckets) expect(count).toBeGreaterThan(300);
  });
});
