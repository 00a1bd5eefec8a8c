import { describe, expect, it } from "vitest";
import { loadChaosConfig } from "./chaos-config.ts";

describe("which seeds a chaos run replays", () => {
  const now = 1_765_000_000_000;

  it("five runs with seeds of their own by default, one a replayed seed, or the seeds listed", () => {
    const drawn = loadChaosConfig({}, now).seeds;
    expect(drawn).toHaveLength(5);
    expect(new Set(drawn).size).toBe(5);
    expect(drawn.every((s) => Number.isInteger(s) && s >= 0 && s < 2 ** 31)).toBe(true);
    expect(loadChaosConfig({ CHAOS_RUNS: "2" }, now).seeds).toEqual(drawn.slice(0, 2));
    expect(loadChaosConfig({ CHAOS_SEED: "1372682361" }, now).seeds).toEqual([1372682361]);
    expect(loadChaosConfig({ CHAOS_SEEDS: "1372682361, 1001,2002" }, now).seeds).toEqual([1372682361, 1001, 2002]);
  });

  it("refuses a seed list it cannot read, or both a seed and a list", () => {
    for (const CHAOS_SEEDS of ["", "12,", "12;13", "-1", "1.5"])
      expect(() => loadChaosConfig({ CHAOS_SEEDS }, now)).toThrow(/CHAOS_SEEDS|seeds/);
    expect(() => loadChaosConfig({ CHAOS_SEED: "1", CHAOS_SEEDS: "2" }, now)).toThrow(/not both/);
  });
});
