import { describe, expect, it } from "vitest";
import { parseIntrinsicCall } from "./intrinsic-parser.ts";
import { checkIntrinsicCall } from "./intrinsic-static-check.ts";

const problems = (expr: string) => checkIntrinsicCall(parseIntrinsicCall(expr));

describe("checkIntrinsicCall", () => {
  it("finds nothing wrong with well-formed calls", () => {
    expect(problems("States.Format('{} and {}', $.a, States.MathAdd($.b, 1))")).toEqual([]);
    expect(problems("States.Array()")).toEqual([]);
    expect(problems("States.MathRandom(1, 10)")).toEqual([]);
    expect(problems("States.MathRandom(1, 10, 42)")).toEqual([]);
    expect(problems("States.Hash($.data, $.algorithm)")).toEqual([]);
    expect(problems("States.Format($.template, 1, 2, 3)")).toEqual([]);
  });

  it("reports argument counts", () => {
    expect(problems("States.MathAdd(1)")).toEqual(["States.MathAdd takes exactly 2 argument(s) but is given 1."]);
    expect(problems("States.MathRandom(1)")).toEqual(["States.MathRandom takes at least 2 argument(s) but is given 1."]);
    expect(problems("States.MathRandom(1, 2, 3, 4)")).toEqual(["States.MathRandom takes at most 3 argument(s) but is given 4."]);
    expect(problems("States.Format()")).toEqual(["States.Format takes at least 1 argument(s) but is given 0."]);
  });

  it("reports literal arguments of the wrong type, in nested calls too", () => {
    expect(problems("States.Array(States.MathAdd('a', null))")).toEqual([
      'Argument 1 of States.MathAdd must be a number, not "a".',
      "Argument 2 of States.MathAdd must be a number, not null.",
    ]);
    expect(problems("States.ArrayLength('x')")).toEqual(['Argument 1 of States.ArrayLength must be an array, not "x".']);
  });

  it("reports States.Format templates that cannot work", () => {
    expect(problems("States.Format('{} {}', 1)")).toEqual([
      "The States.Format template has 2 '{}' placeholder(s) but 1 value argument(s).",
    ]);
    expect(problems("States.Format('Hello {', 1)")).toEqual([
      "The States.Format template has a brace that is not part of '{}' or an unknown escape.",
    ]);
  });

  it("reports an unsupported literal hash algorithm and a literal deep merge", () => {
    expect(problems("States.Hash('x', 'SHA256')")).toEqual([
      "States.Hash does not support the algorithm 'SHA256' (use MD5, SHA-1, SHA-256, SHA-384 or SHA-512).",
    ]);
    expect(problems("States.JsonMerge($.a, $.b, true)")).toEqual([
      "States.JsonMerge supports only a shallow merge: its third argument must be false.",
    ]);
  });
});
