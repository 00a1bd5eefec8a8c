import { describe, expect, it } from "vitest";
import { StatesError } from "../errors.ts";
import type { Json } from "../json.ts";
import { applyResultPath } from "./result-path.ts";

function failure(input: Json, resultPath: string, result: Json): StatesError {
  try {
    applyResultPath(input, resultPath, result);
  } catch (error) {
    if (error instanceof StatesError) return error;
    throw error;
  }
  throw new Error("expected a failure");
}

describe("applyResultPath", () => {
  it("replaces the input when ResultPath is absent or $", () => {
    expect(applyResultPath({ a: 1 }, undefined, "r")).toBe("r");
    expect(applyResultPath({ a: 1 }, "$", "r")).toBe("r");
  });

  it("passes the input through when ResultPath is null", () => {
    const input = { a: 1 };
    expect(applyResultPath(input, null, "r")).toBe(input);
  });

  it("places the result at a path, creating missing objects", () => {
    expect(applyResultPath({ a: 1 }, "$.b.c.d", true)).toEqual({ a: 1, b: { c: { d: true } } });
    expect(applyResultPath({ a: { x: 1 } }, "$['a']['y']", 2)).toEqual({ a: { x: 1, y: 2 } });
  });

  it("replaces an existing value and keeps the key order", () => {
    expect(Object.keys(applyResultPath({ a: 1, b: 2, c: 3 }, "$.b", 9) as object)).toEqual(["a", "b", "c"]);
  });

  it("writes into an existing array element", () => {
    expect(applyResultPath({ list: [{ v: 1 }, { v: 2 }] }, "$.list[1].v", 5)).toEqual({ list: [{ v: 1 }, { v: 5 }] });
    expect(applyResultPath({ list: [1, 2] }, "$.list[-1]", 5)).toEqual({ list: [1, 5] });
  });

  it("copies only along the written path and never mutates the input", () => {
    const input = { keep: { deep: [1] }, into: { x: 1 } };
    const output = applyResultPath(input, "$.into.y", 2) as typeof input & { into: { y: number } };
    expect(input).toEqual({ keep: { deep: [1] }, into: { x: 1 } });
    expect(output.keep).toBe(input.keep);
    expect(output.into).not.toBe(input.into);
  });

  it("fails with States.ResultPathMatchFailure when the input is not an object", () => {
    const error = failure("text", "$.a", 1);
    expect(error.error).toBe("States.ResultPathMatchFailure");
    expect(error.causeText).toBe('Unable to apply ReferencePath $.a to input "text"');
  });

  it.each([
    [{ a: "text" }, "$.a.b"],
    [{ a: null }, "$.a.b"],
    [{ a: [1] }, "$.a.b"],
    [{ a: [1] }, "$.a[3]"],
    [{ a: {} }, "$.a[0]"],
  ] as Array<[Json, string]>)("fails when %j cannot hold %s", (input, path) => {
    expect(failure(input, path, 1).error).toBe("States.ResultPathMatchFailure");
  });

  it("refuses a path that is not a reference path on the input", () => {
    expect(failure({}, "$.a[*]", 1).error).toBe("States.Runtime");
    expect(failure({}, "$$.Execution", 1).error).toBe("States.Runtime");
  });
});
