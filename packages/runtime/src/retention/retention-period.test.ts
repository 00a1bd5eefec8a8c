import { describe, expect, it } from "vitest";
import { loadRuntimeConfig } from "../config.ts";
import { parseRetentionPeriod } from "./retention-period.ts";

describe("retention periods", () => {
  it("read a whole number of seconds, minutes, hours or days", () => {
    expect(parseRetentionPeriod("30s")).toBe(30_000);
    expect(parseRetentionPeriod("15m")).toBe(900_000);
    expect(parseRetentionPeriod("12h")).toBe(43_200_000);
    expect(parseRetentionPeriod("90d")).toBe(7_776_000_000);
    for (const bad of ["", "90", "0d", "1.5h", "-1d", "1w", " 1d", "1d ", "1 d", "01d"])
      expect(parseRetentionPeriod(bad), bad).toBeUndefined();
  });

  it("STEPWISE_EXECUTION_RETENTION is AWS's 90 days unless set, and a value that is not a period stops start-up naming it", () => {
    expect(loadRuntimeConfig({}).STEPWISE_EXECUTION_RETENTION).toBe(90 * 86_400_000);
    expect(loadRuntimeConfig({ STEPWISE_EXECUTION_RETENTION: "12h" }).STEPWISE_EXECUTION_RETENTION).toBe(12 * 3_600_000);
    expect(() => loadRuntimeConfig({ STEPWISE_EXECUTION_RETENTION: "three months" })).toThrow(
      /STEPWISE_EXECUTION_RETENTION: a retention period is a whole number followed by s, m, h or d/,
    );
  });
});
