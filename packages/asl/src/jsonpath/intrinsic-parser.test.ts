import { describe, expect, it } from "vitest";
import { INTRINSIC_FUNCTION_NAMES, parseIntrinsicCall } from "./intrinsic-parser.ts";
import { failureOf } from "./intrinsic-test-support.ts";

describe("parseIntrinsicCall", () => {
  it("parses every kind of argument", () => {
    const call = parseIntrinsicCall("States.Array('a b', -1.5e2, 0, true, false, null, $.a.b, $$.Execution.Id, $var.field, States.UUID())");
    expect(call).toEqual({
      kind: "call",
      name: "States.Array",
      args: [
        { kind: "literal", value: "a b", raw: "a b" },
        { kind: "literal", value: -150 },
        { kind: "literal", value: 0 },
        { kind: "literal", value: true },
        { kind: "literal", value: false },
        { kind: "literal", value: null },
        { kind: "path", path: "$.a.b", root: "input" },
        { kind: "path", path: "$$.Execution.Id", root: "context" },
        { kind: "path", path: "$var.field", root: "variable" },
        { kind: "call", name: "States.UUID", args: [] },
      ],
    });
  });

  it("accepts the whole input, the whole context and bracketed paths", () => {
    const call = parseIntrinsicCall("States.Array($, $$, $.a[0], $['x, y'], $.items[?(@.n > 1)].id)");
    expect(call.args.map((arg) => (arg.kind === "path" ? [arg.path, arg.root] : null))).toEqual([
      ["$", "input"],
      ["$$", "context"],
      ["$.a[0]", "input"],
      ["$['x, y']", "input"],
      ["$.items[?(@.n > 1)].id", "input"],
    ]);
  });

  it("resolves the four escapes and keeps the raw text for States.Format", () => {
    const [arg] = parseIntrinsicCall("States.Format('it\\'s \\{\\} \\\\ {}', 1)").args;
    expect(arg).toEqual({ kind: "literal", value: "it's {} \\ {}", raw: "it\\'s \\{\\} \\\\ {}" });
  });

  it("keeps control characters and unescaped braces inside strings", () => {
    const [text, json] = parseIntrinsicCall("States.Array('Hello\nWorld', '{\"a\": 1}')").args;
    expect(text).toMatchObject({ value: "Hello\nWorld" });
    expect(json).toMatchObject({ value: '{"a": 1}' });
  });

  it("ignores whitespace between tokens", () => {
    const call = parseIntrinsicCall("  States.MathAdd (\n\t$.a ,  1 )  ");
    expect(call).toEqual({
      kind: "call",
      name: "States.MathAdd",
      args: [
        { kind: "path", path: "$.a", root: "input" },
        { kind: "literal", value: 1 },
      ],
    });
  });

  it("parses nested calls", () => {
    const call = parseIntrinsicCall("States.ArrayGetItem(States.StringSplit($.arn, ':'), States.MathAdd(1, 2))");
    expect(call.args.map((arg) => (arg.kind === "call" ? arg.name : arg.kind))).toEqual(["States.StringSplit", "States.MathAdd"]);
  });

  it("knows all eighteen AWS functions", () => {
    expect(INTRINSIC_FUNCTION_NAMES).toHaveLength(18);
    for (const name of INTRINSIC_FUNCTION_NAMES) expect(parseIntrinsicCall(`${name}()`).name).toBe(name);
  });

  it.each([
    ["States.Foo(1)", "unknown intrinsic function 'States.Foo' at position 1"],
    ["States.format('x')", "unknown intrinsic function 'States.format'"],
    ["$.a", "expected a function call starting with 'States.'"],
    ["States.Array", "expected '('"],
    ["States.Array(", "missing argument"],
    ["States.Array(1", "missing ')'"],
    ["States.Array(1 2)", "expected ',' or ')' at position 16"],
    ["States.Array(1,)", "missing argument"],
    ["States.Array(,1)", "missing argument"],
    ["States.Array($.a) trailing", "unexpected 'trailing' after the call"],
    ["States.Array('abc)", "unterminated string literal at position 14"],
    ["States.Array('a\\nb')", "invalid escape sequence"],
    ["States.Array(1.)", "invalid number"],
    ["States.Array(.5)", "invalid argument"],
    ["States.Array(01)", "invalid number"],
    ["States.Array(1e999)", "number out of range"],
    ["States.Array([1,2])", "invalid argument"],
    ["States.Array(True)", "invalid argument"],
    ["States.Array(nullx)", "invalid argument"],
    ["States.Array($.a[0)", "unbalanced brackets in path"],
    ["States.Array($-x)", "invalid path '$-x'"],
  ])("rejects %s", (expression, reason) => {
    const error = failureOf(() => parseIntrinsicCall(expression));
    expect(error.error).toBe("States.Runtime");
    expect(error.causeText).toContain(`Invalid intrinsic function call '${expression}': ${reason}`);
  });
});
