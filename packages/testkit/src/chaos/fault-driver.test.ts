import { seededRandom } from "@stepwise/asl";
import { describe, expect, it } from "vitest";
import { faultKinds, planFaults } from "./fault-driver.ts";

describe("the chaos fault schedule", () => {
  it("holds every kind of fault at least once, whatever the seed, within the window", () => {
    for (let seed = 0; seed < 200; seed++) {
      const plan = planFaults(seededRandom(seed), 60_000, 5);
      expect(new Set(plan.map((f) => f.kind))).toEqual(new Set(faultKinds));
      expect(plan.every((f) => f.at >= 0 && f.at <= 60_000)).toBe(true);
    }
  });

  it("is the same for the same seed", () => {
    expect(planFaults(seededRandom(42), 60_000, 15)).toEqual(planFaults(seededRandom(42), 60_000, 15));
  });
});
