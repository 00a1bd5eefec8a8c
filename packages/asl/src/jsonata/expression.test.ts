import { describe, expect, it } from "vitest";
import { compileExpression, expressionBody, isJsonataExpression, parseJsonataError } from "./expression.ts";

describe("isJsonataExpression", () => {
  it.each(["{% $states.input %}", "{%$x%}", "{%%}", "{%  %}", "{% 'a' %}"])("recognises %j", (value) => {
    expect(isJsonataExpression(value)).toBe(true);
  });

  it.each([" {% $x %}", "{% $x %} ", "{% $x", "$x %}", "{%}", "{ % $x % }", "$.path", "", 42, null, { expr: "{% $x %}" }, ["{% $x %}"]])(
    "does not take %j for an expression",
    (value) => {
      expect(isJsonataExpression(value)).toBe(false);
    },
  );
});

describe("expressionBody", () => {
  it("strips the delimiters and trims", () => {
    expect(expressionBody("{%   $states.input.a  \n%}")).toBe("$states.input.a");
    expect(expressionBody("{%$x%}")).toBe("$x");
    expect(expressionBody("{%%}")).toBe("");
  });
});

describe("compileExpression", () => {
  it("compiles each distinct body once", () => {
    const first = compileExpression("$states.input.cached + 1");
    expect(compileExpression("$states.input.cached + 1")).toBe(first);
    expect(compileExpression("$states.input.cached + 2")).not.toBe(first);
  });

  it("records every name the expression references", () => {
    const { references } = compileExpression("($total := $sum($states.input.n); $map($items, function($i){ $i * $rate }))");
    expect([...references].sort()).toEqual(["i", "items", "map", "rate", "states", "sum", "total"]);
  });

  it("throws JSONata's syntax error", () => {
    expect(() => compileExpression("a[1,2)")).toThrow(expect.objectContaining({ code: "S0202" }));
  });
});

describe("parseJsonataError", () => {
  it("returns null for a valid expression, delimited or not", () => {
    expect(parseJsonataError("{% $states.input.a %}")).toBeNull();
    expect(parseJsonataError("$partition([1,2], 1)")).toBeNull();
  });

  it("reports JSONata's code, message and position in the trimmed body", () => {
    expect(parseJsonataError("{% a[1,2) %}")).toEqual({ code: "S0202", message: 'Expected "]", got ","', position: 4 });
    expect(parseJsonataError("{% 1 + %}")).toEqual({ code: "S0207", message: "Unexpected end of expression", position: 3 });
    expect(parseJsonataError('"unterminated')).toMatchObject({
      code: "S0101",
      message: "String literal must be terminated by a matching quote",
    });
    expect(parseJsonataError("{%  %}")).toMatchObject({ code: "S0207" });
  });

  it("reports an expression nested deeper than the parser can go, without throwing", () => {
    const deep = `${"(".repeat(100_000)}1${")".repeat(100_000)}`;
    const problem = parseJsonataError(deep);
    expect(problem).not.toBeNull();
    expect(problem?.code).toBeNull();
  });
});
