import type { ThreadPosition } from "@stepwise/asl";
import { describe, expect, it } from "vitest";
import { type StepPlace, StepRandom, stepPlace } from "./step-random.ts";

const draw = (stream: StepRandom, n: number) => Array.from({ length: n }, stream.random);

describe("a step's randomness, from its execution's seed", () => {
  const place: StepPlace = { redriveCount: 0, fanOutId: "f-1", threadId: "P#1", draws: 3 };

  it("is the same for the same seed and place, and differs when any part of either differs", () => {
    const first = draw(new StepRandom("a1b2", place), 40);
    expect(draw(new StepRandom("a1b2", { ...place }), 40)).toEqual(first);
    const others = [
      new StepRandom("a1b3", place),
      new StepRandom("a1b2", { ...place, redriveCount: 1 }),
      new StepRandom("a1b2", { ...place, fanOutId: "f-2" }),
      new StepRandom("a1b2", { ...place, threadId: "P#2" }),
      new StepRandom("a1b2", { ...place, draws: 4 }),
      // Parts run together differently must not meet.
      new StepRandom("a1b2", { ...place, fanOutId: "f-1P#1", threadId: "" }),
    ];
    for (const other of others) expect(draw(other, 40)).not.toEqual(first);
  });

  it("says whether the step drew", () => {
    const stream = new StepRandom("seed", place);
    expect(stream.drew).toBe(false);
    stream.random();
    expect(stream.drew).toBe(true);
  });

  it("stands where the thread's own steps put it: its fan-out, its id and how many of its steps drew", () => {
    const position = { threadId: "P#1", parent: { threadId: "", index: 1, fanOutId: "f-1" }, draws: 3 } as ThreadPosition;
    expect(stepPlace(position, 0)).toEqual(place);
    expect(stepPlace({ threadId: "" } as ThreadPosition, 2)).toEqual({ redriveCount: 2, fanOutId: "", threadId: "", draws: 0 });
  });

  it("draws numbers in [0, 1) spread over the range", () => {
    const values = draw(new StepRandom("seed", place), 4000);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    const buckets = Array.from({ length: 10 }, (_, i) => values.filter((v) => v >= i / 10 && v < (i + 1) / 10).length);
    for (const count of buckets) expect(count).toBeGreaterThan(300);
  });
});
