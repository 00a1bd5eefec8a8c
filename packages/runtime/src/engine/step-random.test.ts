import { describe, expect, it } from "vitest";
import { type StepPlace, stepRandom } from "./step-random.ts";

const draw = (random: () => number, n: number) => Array.from({ length: n }, random);

describe("a step's randomness, from its execution's seed", () => {
  const place: StepPlace = { eventId: 7, threadId: "M#1", threadVersion: 3, index: 0 };

  it("is the same for the same seed and place, and differs when any part of either differs", () => {
    const first = draw(stepRandom("a1b2", place), 40);
    expect(draw(stepRandom("a1b2", { ...place }), 40)).toEqual(first);
    const others = [
      stepRandom("a1b3", place),
      stepRandom("a1b2", { ...place, eventId: 8 }),
      stepRandom("a1b2", { ...place, threadId: "M#2" }),
      stepRandom("a1b2", { ...place, threadVersion: 4 }),
      stepRandom("a1b2", { ...place, index: 1 }),
    ];
    for (const other of others) expect(draw(other, 40)).not.toEqual(first);
  });

  it("draws numbers in [0, 1) spread over the range", () => {
    const values = draw(stepRandom("seed", place), 4000);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    const buckets = Array.from({ length: 10 }, (_, i) => values.filter((v) => v >= i / 10 && v < (i + 1) / 10).length);
    for (const count of buckets) expect(count).toBeGreaterThan(300);
  });
});
