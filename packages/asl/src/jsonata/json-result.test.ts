import { describe, expect, it } from "vitest";
import { toJsonResult, UnsupportedResult } from "./json-result.ts";

describe("toJsonResult", () => {
  it("keeps JSON values as they are, in fresh containers", () => {
    const source = { a: [1, "x", true, null, { b: 2.5 }] };
    const result = toJsonResult(source);
    expect(result).toEqual(source);
    expect(result).not.toBe(source);
    expect((result as { a: unknown[] }).a).not.toBe(source.a);
  });

  it("writes non-finite numbers as the strings AWS writes, and drops negative zero", () => {
    expect(toJsonResult(Number.POSITIVE_INFINITY)).toBe("Infinity");
    expect(toJsonResult([Number.NEGATIVE_INFINITY, Number.NaN])).toEqual(["-Infinity", "NaN"]);
    expect(Object.is(toJsonResult(-0), 0)).toBe(true);
  });

  it("drops undefined members", () => {
    expect(toJsonResult({ a: undefined, b: [undefined, 1] })).toEqual({ b: [1] });
  });

  it("turns a JSONata sequence into a plain array", () => {
    const sequence = Object.assign([1, 2], { sequence: true, keepSingleton: true });
    const result = toJsonResult(sequence);
    expect(result).toEqual([1, 2]);
    expect(Object.keys(result as object)).toEqual(["0", "1"]);
  });

  it.each([
    ["a lambda", { _jsonata_lambda: true, body: {} }],
    ["a built-in", { _jsonata_function: true, implementation: () => 1 }],
    ["a regular expression matcher", () => undefined],
    ["a function inside an object", { ok: 1, f: () => 1 }],
    ["a function inside an array", [1, { _jsonata_lambda: true }]],
  ])("refuses %s", (_, value) => {
    expect(() => toJsonResult(value)).toThrow(UnsupportedResult);
  });

  it("keeps a member named __proto__ as data", () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
    const result = toJsonResult(parsed) as Record<string, unknown>;
    expect(Object.keys(result)).toEqual(["__proto__", "a"]);
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
