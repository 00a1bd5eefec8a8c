import { describe, expect, it } from "vitest";
import { expectInvalidArguments, run } from "./intrinsic-test-support.ts";

/** A random source cycling through `values`. */
function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length] as number;
}

describe("States.MathAdd", () => {
  it("adds integers", () => {
    expect(run("States.MathAdd(5, 3)")).toBe(8);
    expect(run("States.MathAdd($.v, -1)", { v: 111 })).toBe(110);
    expect(run("States.MathAdd(States.MathAdd($.x, 1), 2)", { x: 5 })).toBe(8);
  });

  it("rounds each operand first, halves going up", () => {
    expect(run("States.MathAdd(1.6, 2.7)")).toBe(5);
    expect(run("States.MathAdd(0.1, 0.2)")).toBe(0);
    expect(run("States.MathAdd(1.49, 1.5)")).toBe(3);
    expect(run("States.MathAdd(-1.49, -1.5)")).toBe(-2);
    expect(run("States.MathAdd(-3.5, 0)")).toBe(-3);
    expect(Object.is(run("States.MathAdd(-0.4, 0)"), 0)).toBe(true);
  });

  it("stays within 32-bit integers", () => {
    expect(run("States.MathAdd(2147483646, 1)")).toBe(2147483647);
    expect(run("States.MathAdd(-2147483647, -1)")).toBe(-2147483648);
    expectInvalidArguments("States.MathAdd(2147483647, 1)");
    expectInvalidArguments("States.MathAdd(-2147483648, -1)");
    expectInvalidArguments("States.MathAdd(3000000000, -2000000000)");
  });

  it.each(["'a', 1", "1, 'b'", "null, 1", "true, 1", "'-1', 2", "1", "1, 2, 999"])("rejects States.MathAdd(%s)", (args) => {
    expectInvalidArguments(`States.MathAdd(${args})`);
  });

  it("rejects an array operand", () => {
    expectInvalidArguments("States.MathAdd(-1, $.probe)", { probe: [0, 1] });
  });
});

describe("States.MathRandom", () => {
  it("maps the injected random source onto [start, end)", () => {
    expect(run("States.MathRandom(1, 999)", {}, { random: () => 0 })).toBe(1);
    expect(run("States.MathRandom(1, 999)", {}, { random: () => 0.999999 })).toBe(998);
    expect(run("States.MathRandom(-99999, -9999)", {}, { random: () => 0.5 })).toBe(-54999);
  });

  it("stays in range and yields integers for any random value", () => {
    const random = sequence(0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.999999999);
    for (let i = 0; i < 7; i++) {
      const value = run("States.MathRandom(-5, 5)", {}, { random }) as number;
      expect(Number.isInteger(value) && value >= -5 && value < 5).toBe(true);
    }
  });

  it("drops the fractions of the bounds", () => {
    expect(run("States.MathRandom(1.6, 5.4)", {}, { random: () => 0 })).toBe(1);
    expect(run("States.MathRandom(1.6, 5.4)", {}, { random: () => 0.999999 })).toBe(4);
    expectInvalidArguments("States.MathRandom(1.4, 1.6)");
  });

  it("is determined by the seed, like java.util.Random, without touching the random source", () => {
    const random = () => {
      throw new Error("a seeded call must not draw from the scope");
    };
    expect(run("States.MathRandom(-5, 5, 42)", {}, { random })).toBe(-5);
    const first = run("States.MathRandom(1, 1000, 7)", {}, { random });
    expect(run("States.MathRandom(1, 1000, 7)", {}, { random })).toBe(first);
    expect(run("States.MathRandom(1, 1000, 7.9)", {}, { random })).toBe(first);
    for (const seed of [-10, 0, 1, 123456789]) {
      const value = run(`States.MathRandom(1, 10, ${seed})`, {}, { random }) as number;
      expect(Number.isInteger(value) && value >= 1 && value < 10).toBe(true);
    }
    const nearMax = run("States.MathRandom($.s, $.e, 1)", { s: 2147483640, e: 2147483647 }, { random }) as number;
    expect(nearMax >= 2147483640 && nearMax < 2147483647).toBe(true);
  });

  it.each(["1, 1", "10, 5", "'a', 10", "1, 'b'", "1, 10, 'seed'", "1, 10, null", "1", "1, 10, 5, 99", "-2147483648, 2147483647"])(
    "rejects States.MathRandom(%s)",
    (args) => {
      expectInvalidArguments(`States.MathRandom(${args})`);
    },
  );
});

describe("States.UUID", () => {
  const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it("builds a version 4 UUID from the injected random source", () => {
    expect(run("States.UUID()", {}, { random: () => 0 })).toBe("00000000-0000-4000-8000-000000000000");
    expect(run("States.UUID()", {}, { random: () => 0.999999 })).toBe("ffffffff-ffff-4fff-bfff-ffffffffffff");
    const random = sequence(0.1, 0.7, 0.33, 0.92, 0.05);
    const ids = Array.from({ length: 20 }, () => run("States.UUID()", {}, { random }) as string);
    for (const id of ids) expect(id).toMatch(UUID_V4);
  });

  it("gives the same id for the same random values and different ids otherwise", () => {
    const id = () => run("States.UUID()", {}, { random: sequence(0.1, 0.2, 0.3) });
    expect(id()).toBe(id());
    expect(run("States.UUID()", {}, { random: sequence(0.4, 0.2, 0.3) })).not.toBe(id());
  });

  it("takes no arguments", () => {
    expectInvalidArguments("States.UUID(1)");
  });
});
