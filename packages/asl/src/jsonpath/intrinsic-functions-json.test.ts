import { describe, expect, it } from "vitest";
import { expectInvalidArguments, run } from "./intrinsic-test-support.ts";

describe("States.StringToJson", () => {
  it("parses JSON text", () => {
    expect(run("States.StringToJson($.s)", { s: '{"foo": "bar"}' })).toEqual({ foo: "bar" });
    expect(run("States.StringToJson($.s)", { s: '[1, 2, "x"]' })).toEqual([1, 2, "x"]);
    expect(run("States.StringToJson($.s)", { s: " true " })).toBe(true);
    expect(run("States.StringToJson('{\"a\": [1]}')")).toEqual({ a: [1] });
  });

  it("turns -0 into 0 and blank text into null", () => {
    expect(Object.is(run("States.StringToJson($.s)", { s: "-0" }), 0)).toBe(true);
    expect(run("States.StringToJson($.s)", { s: "" })).toBeNull();
    expect(run("States.StringToJson($.s)", { s: " \n\t" })).toBeNull();
  });

  it("rejects text that is not JSON and non-strings", () => {
    expectInvalidArguments("States.StringToJson($.s)", { s: "{oops" });
    expectInvalidArguments("States.StringToJson($.s)", { s: { already: "json" } });
    expectInvalidArguments("States.StringToJson($.s, $.s)", { s: "1" });
  });
});

describe("States.JsonToString", () => {
  it("serialises compactly", () => {
    expect(run("States.JsonToString($.v)", { v: { foo: "bar", n: [1, null] } })).toBe('{"foo":"bar","n":[1,null]}');
    expect(run("States.JsonToString($.v)", { v: "x" })).toBe('"x"');
    expect(run("States.JsonToString($.v)", { v: null })).toBe("null");
    expect(run("States.JsonToString(1.5)")).toBe("1.5");
  });

  it("round-trips with StringToJson", () => {
    const value = { a: [1, { b: "c" }], d: null };
    expect(run("States.StringToJson(States.JsonToString($.v))", { v: value })).toEqual(value);
  });

  it("rejects wrong argument counts", () => {
    expectInvalidArguments("States.JsonToString()");
    expectInvalidArguments("States.JsonToString(1, 2)");
  });
});

describe("States.JsonMerge", () => {
  it("merges shallowly, the second object winning", () => {
    const input = { a: { nested: { a1: 1 }, keep: 1, x: 1 }, b: { nested: { a3: 3 }, x: { new: true }, y: null } };
    expect(run("States.JsonMerge($.a, $.b, false)", input)).toEqual({ nested: { a3: 3 }, keep: 1, x: { new: true }, y: null });
    expect(run("States.JsonMerge($.a, $.b, false)", { a: {}, b: { x: 1 } })).toEqual({ x: 1 });
  });

  it("does not modify its inputs", () => {
    const input = { a: { x: 1 }, b: { x: 2 } };
    run("States.JsonMerge($.a, $.b, false)", input);
    expect(input).toEqual({ a: { x: 1 }, b: { x: 2 } });
  });

  it("treats __proto__ as an ordinary key", () => {
    const merged = run("States.JsonMerge(States.StringToJson($.a), $.b, false)", { a: '{"__proto__": {"polluted": true}}', b: { x: 1 } });
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(Object.keys(merged as object)).toEqual(["__proto__", "x"]);
  });

  it("merges objects from the context and from nested calls", () => {
    const merged = run('States.JsonMerge(States.StringToJson(\'{"lit": "false"}\'), $$.Execution.Input.field, false)', {
      field: { f: "v" },
    });
    expect(merged).toEqual({ lit: "false", f: "v" });
  });

  it("reads any deep flag other than true as false", () => {
    expect(run("States.JsonMerge($.a, $.b, 'false')", { a: { x: 1 }, b: { y: 2 } })).toEqual({ x: 1, y: 2 });
  });

  it("rejects a deep merge, non-objects and wrong argument counts", () => {
    expectInvalidArguments("States.JsonMerge($.a, $.b, true)", { a: {}, b: {} });
    expectInvalidArguments("States.JsonMerge($.a, $.b, false)", { a: null, b: {} });
    expectInvalidArguments("States.JsonMerge($.a, $.b, false)", { a: [], b: {} });
    expectInvalidArguments("States.JsonMerge($.a, $.b, false)", { a: {}, b: "x" });
    expectInvalidArguments("States.JsonMerge($.a, $.b)", { a: {}, b: {} });
    expectInvalidArguments("States.JsonMerge($.a, $.b, false, 1)", { a: {}, b: {} });
  });
});
