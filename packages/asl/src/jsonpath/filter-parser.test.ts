import { describe, expect, it } from "vitest";
import { parseFilterExpression } from "./filter-parser.ts";
import type { FilterExpression } from "./path-ast.ts";
import { JsonPathSyntaxError, PathCursor } from "./path-cursor.ts";

function parse(text: string): FilterExpression {
  const cursor = new PathCursor(text);
  const expression = parseFilterExpression(cursor);
  cursor.skipWhitespace();
  if (!cursor.atEnd) cursor.fail("trailing text");
  return expression;
}

/** The expression with the compiled paths reduced to their origin and names, for readable expectations. */
function shape(expression: FilterExpression): unknown {
  switch (expression.kind) {
    case "or":
    case "and":
      return [expression.kind, shape(expression.left), shape(expression.right)];
    case "not":
      return ["not", shape(expression.operand)];
    case "exists":
      return ["exists", pathShape(expression.path)];
    case "compare": {
      const side = (operand: (typeof expression)["left"]) =>
        operand.kind === "path" ? pathShape(operand.path) : operand.kind === "regex" ? operand.regex.source : operand.value;
      return [expression.operator, side(expression.left), side(expression.right)];
    }
  }
}

function pathShape(path: { origin: string; segments: readonly unknown[] }): string {
  return `${path.origin === "current" ? "@" : "$"}${JSON.stringify(path.segments)}`;
}

const at = (...names: string[]) => `@${JSON.stringify(names.map((name) => ({ kind: "property", names: [name], quote: "'" })))}`;

describe("parseFilterExpression", () => {
  it("reads an existence check", () => {
    expect(shape(parse("@.isbn"))).toEqual(["exists", at("isbn")]);
  });

  it.each(["==", "!=", "<", "<=", ">", ">="])("reads the comparison %s", (operator) => {
    expect(shape(parse(`@.price ${operator} 10`))).toEqual([operator, at("price"), 10]);
  });

  it("reads string, number, boolean and null literals", () => {
    expect(shape(parse("@.a == 'x'"))).toEqual(["==", at("a"), "x"]);
    expect(shape(parse('@.a == "y"'))).toEqual(["==", at("a"), "y"]);
    expect(shape(parse("@.a == -1.5e2"))).toEqual(["==", at("a"), -150]);
    expect(shape(parse("@.a == true"))).toEqual(["==", at("a"), true]);
    expect(shape(parse("@.a != null"))).toEqual(["!=", at("a"), null]);
  });

  it("reads a path on either side, including the document root", () => {
    expect(shape(parse("@.a.b<=$.limit"))).toEqual([
      "<=",
      at("a", "b"),
      `$${JSON.stringify([{ kind: "property", names: ["limit"], quote: "'" }])}`,
    ]);
    expect(shape(parse("@ > 2"))).toEqual([">", "@[]", 2]);
  });

  it("reads a regular expression after =~ (the walker matches it against the whole string)", () => {
    expect(shape(parse("@.name =~ /ab+c/i"))).toEqual(["=~", at("name"), "ab+c"]);
  });

  it("refuses a regular expression only a backtracking engine can run", () => {
    expect(() => parse("@.name =~ /(a)\\1/")).toThrow(JsonPathSyntaxError);
    expect(() => parse("@.name =~ /a(?=b)/")).toThrow(JsonPathSyntaxError);
  });

  it("gives && precedence over || and honours parentheses and !", () => {
    expect(shape(parse("@.a || @.b && @.c"))).toEqual(["or", ["exists", at("a")], ["and", ["exists", at("b")], ["exists", at("c")]]]);
    expect(shape(parse("(@.a || @.b) && !@.c"))).toEqual([
      "and",
      ["or", ["exists", at("a")], ["exists", at("b")]],
      ["not", ["exists", at("c")]],
    ]);
  });

  it.each(["", "@.a ==", "1 == @.a extra", "1", "@.a == /x", "(@.a", "@.a == nothing", "@.a =~ 'x'"])("rejects %j", (text) => {
    expect(() => parse(text)).toThrow(JsonPathSyntaxError);
  });
});
