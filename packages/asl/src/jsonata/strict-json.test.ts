import { describe, expect, it } from "vitest";
import { parseStrictJson } from "./strict-json.ts";

describe("parseStrictJson", () => {
  it.each([
    ["1", 1],
    ["-0", -0],
    ["1.1", 1.1],
    ['"HelloWorld"', "HelloWorld"],
    ["null", null],
    [' { "a": [1, {"b": "x\\"y"}], "c": {"a": 2} } ', { a: [1, { b: 'x"y' }], c: { a: 2 } }],
    ['[{"k": 1}, {"k": 2}]', [{ k: 1 }, { k: 2 }]],
    ['{"a": "a", "b": "a"}', { a: "a", b: "a" }],
  ])("parses %j", (text, expected) => {
    expect(parseStrictJson(text)).toEqual(expected);
  });

  it.each([
    "",
    "   ",
    "{",
    "1 2",
    "{'a': 1}",
    "undefined",
    "1e400",
    "[-1e999]",
    '{"a": 1, "a": 2}',
    '{"x": {"a": 1, "b": 2, "a": 3}}',
    '{"a": 1, "\\u0061": 2}',
  ])("refuses %j", (text) => {
    expect(parseStrictJson(text)).toBeUndefined();
  });
});
