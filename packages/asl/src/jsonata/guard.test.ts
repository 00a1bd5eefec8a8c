import { describe, expect, it } from "vitest";
import { DEFAULT_EVALUATION_LIMITS, EvaluationGuard, type EvaluationLimits, RunawayEvaluation } from "./guard.ts";

const limits = (overrides: Partial<EvaluationLimits>): EvaluationLimits => ({ ...DEFAULT_EVALUATION_LIMITS, ...overrides });

function tripOf(action: () => void): RunawayEvaluation {
  try {
    action();
  } catch (error) {
    if (error instanceof RunawayEvaluation) return error;
    throw error;
  }
  throw new Error("the guard did not trip");
}

describe("EvaluationGuard", () => {
  it("counts nested calls only, and lets depth come back down", () => {
    const guard = new EvaluationGuard(limits({ maxCallDepth: 2 }));
    for (let i = 0; i < 50; i++) guard.enter(false);
    guard.enter(true);
    guard.enter(true);
    guard.exit(true, 1);
    guard.enter(true);
    const trip = tripOf(() => guard.enter(true));
    expect(trip.kind).toBe("depth");
    expect(trip.message).toBe("Stack overflow error: Check for non-terminating recursive function. Consider rewriting as tail-recursive.");
  });

  it("stops every later step once tripped", () => {
    const guard = new EvaluationGuard(limits({ maxCallDepth: 0 }));
    const trip = tripOf(() => guard.enter(true));
    expect(tripOf(() => guard.enter(false))).toBe(trip);
    expect(tripOf(() => guard.exit(false, null))).toBe(trip);
  });

  it("bounds the time an evaluation may run", () => {
    const guard = new EvaluationGuard(limits({ timeoutMs: -1 }));
    const trip = tripOf(() => guard.enter(false));
    expect(trip.kind).toBe("time");
    expect(trip.message).toBe("Expression evaluation timeout: Check for infinite loop");
  });

  it("reports running out of time deep in nested calls as the runaway recursion it is", () => {
    const wait = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    const deep = new EvaluationGuard(limits({ timeoutMs: 20 }));
    for (let i = 0; i < 1_000; i++) deep.enter(true);
    wait(30);
    expect(tripOf(() => deep.enter(false)).kind).toBe("depth");
    const shallow = new EvaluationGuard(limits({ timeoutMs: 20 }));
    for (let i = 0; i < 999; i++) shallow.enter(true);
    wait(30);
    expect(tripOf(() => shallow.enter(false)).kind).toBe("time");
  });

  it("bounds the size of what one step produces", () => {
    const guard = new EvaluationGuard(limits({ maxStringLength: 3, maxArrayLength: 2 }));
    guard.exit(false, "abc");
    guard.exit(false, [1, 2]);
    guard.exit(false, { a: "a long string inside an object is not measured" });
    expect(tripOf(() => guard.exit(false, "abcd")).message).toBe(
      "Expression evaluation memory limit exceeded: Check for excessive memory usage",
    );
    expect(tripOf(() => new EvaluationGuard(limits({ maxArrayLength: 2 })).exit(false, [1, 2, 3])).kind).toBe("memory");
    expect(tripOf(() => new EvaluationGuard(limits({ maxArrayLength: 2 })).checkArrayLength(3)).kind).toBe("memory");
  });

  it("defaults to the sizes AWS accepts and refuses", () => {
    const guard = new EvaluationGuard(DEFAULT_EVALUATION_LIMITS);
    guard.checkArrayLength(873_782);
    expect(tripOf(() => guard.checkArrayLength(873_783)).kind).toBe("memory");
  });
});
