import { describe, expect, it } from "vitest";
import { findCatcher } from "./catch.ts";
import { errorMatches } from "./error-match.ts";
import { decideRetry, retryDelayMs } from "./retry.ts";

describe("retry", () => {
  const fixed = () => 0.5;

  it("backs off exponentially from IntervalSeconds with BackoffRate", () => {
    const r = { ErrorEquals: ["X"], IntervalSeconds: 2, BackoffRate: 3 };
    expect([0, 1, 2].map((n) => retryDelayMs(r, n, fixed))).toEqual([2000, 6000, 18000]);
  });

  it("caps the delay at MaxDelaySeconds and applies FULL jitter from the injected randomness", () => {
    const r = { ErrorEquals: ["X"], IntervalSeconds: 10, BackoffRate: 10, MaxDelaySeconds: 30, JitterStrategy: "FULL" as const };
    expect(retryDelayMs(r, 3, fixed)).toBe(15000);
  });

  it("MaxAttempts 0 never retries", () => {
    expect(decideRetry([{ ErrorEquals: ["States.ALL"], MaxAttempts: 0 }], [], "Boom", "task", fixed)).toBeNull();
  });

  it("uses the first matching retrier only, even when its attempts are used up", () => {
    const retriers = [
      { ErrorEquals: ["Boom"], MaxAttempts: 1 },
      { ErrorEquals: ["States.ALL"], MaxAttempts: 5 },
    ];
    expect(decideRetry(retriers, [0], "Boom", "task", fixed)?.retrierIndex).toBe(0);
    expect(decideRetry(retriers, [1], "Boom", "task", fixed)).toBeNull();
    expect(decideRetry(retriers, [1], "Other", "task", fixed)?.retrierIndex).toBe(1);
  });

  it("never retries States.Runtime", () => {
    expect(decideRetry([{ ErrorEquals: ["States.ALL"] }], [], "States.Runtime", "task", fixed)).toBeNull();
    expect(decideRetry([{ ErrorEquals: ["States.Runtime"] }], [], "States.Runtime", "task", fixed)).toBeNull();
  });
});

describe("error matching", () => {
  it("States.ALL matches everything but terminal errors", () => {
    expect(errorMatches(["States.ALL"], "Anything")).toBe(true);
    expect(errorMatches(["States.ALL"], "States.DataLimitExceeded")).toBe(false);
    expect(errorMatches(["States.ALL"], "States.Runtime")).toBe(false);
  });

  it("States.TaskFailed matches task errors except States.Timeout", () => {
    expect(errorMatches(["States.TaskFailed"], "Lambda.Unknown", "task")).toBe(true);
    expect(errorMatches(["States.TaskFailed"], "States.Timeout", "task")).toBe(false);
    expect(errorMatches(["States.TaskFailed"], "Custom", "state")).toBe(false);
  });

  it("catchers are tried in order", () => {
    const c = findCatcher(
      [
        { ErrorEquals: ["A"], Next: "1" },
        { ErrorEquals: ["States.ALL"], Next: "2" },
      ],
      "B",
      "task",
    );
    expect(c?.Next).toBe("2");
  });
});
