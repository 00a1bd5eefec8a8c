/**
 * Parses the inside of `[?( … )]`: `||`, `&&`, `!`, parentheses, existence checks (`@.x`) and comparisons
 * (`== != < <= > >= =~`) between `@`/`$` paths and string, number, boolean, null and `/regex/` literals.
 */
import { LinearRegex } from "../regex/linear-regex.ts";
import type { ComparisonOperator, FilterExpression, FilterOperand, FilterPath } from "./path-ast.ts";
import type { PathCursor } from "./path-cursor.ts";
import { describeSegments, parseSegments, readQuoted } from "./path-parser.ts";

/** Longest first, so that `<=` is not read as `<`. */
const OPERATORS: readonly ComparisonOperator[] = ["==", "!=", "<=", ">=", "=~", "<", ">"];
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/;
const KEYWORDS: ReadonlyArray<[string, null | boolean]> = [
  ["true", true],
  ["false", false],
  ["null", null],
];

export function parseFilterExpression(cursor: PathCursor): FilterExpression {
  let left = parseConjunction(cursor);
  for (;;) {
    cursor.skipWhitespace();
    if (!cursor.startsWith("||")) return left;
    cursor.pos += 2;
    left = { kind: "or", left, right: parseConjunction(cursor) };
  }
}

function parseConjunction(cursor: PathCursor): FilterExpression {
  let left = parseUnary(cursor);
  for (;;) {
    cursor.skipWhitespace();
    if (!cursor.startsWith("&&")) return left;
    cursor.pos += 2;
    left = { kind: "and", left, right: parseUnary(cursor) };
  }
}

function parseUnary(cursor: PathCursor): FilterExpression {
  cursor.skipWhitespace();
  if (cursor.peek() === "!" && cursor.peek(1) !== "=") {
    cursor.pos++;
    return { kind: "not", operand: parseUnary(cursor) };
  }
  if (cursor.peek() === "(") {
    cursor.pos++;
    const inner = parseFilterExpression(cursor);
    cursor.skipWhitespace();
    cursor.expect(")");
    return inner;
  }
  return parseComparison(cursor);
}

function parseComparison(cursor: PathCursor): FilterExpression {
  const left = parseOperand(cursor);
  cursor.skipWhitespace();
  const operator = OPERATORS.find((candidate) => cursor.startsWith(candidate));
  if (operator === undefined) {
    if (left.kind !== "path") cursor.fail("expected a comparison operator");
    return { kind: "exists", path: left.path };
  }
  cursor.pos += operator.length;
  cursor.skipWhitespace();
  const right = operator === "=~" ? parseRegex(cursor) : parseOperand(cursor);
  return { kind: "compare", operator, left, right };
}

function parseOperand(cursor: PathCursor): FilterOperand {
  cursor.skipWhitespace();
  const char = cursor.peek();
  if (char === "@" || char === "$") {
    cursor.pos++;
    const path: FilterPath = { origin: char === "@" ? "current" : "document", ...describeSegments(parseSegments(cursor, true)) };
    return { kind: "path", path };
  }
  if (char === "'" || char === '"') return { kind: "literal", value: readQuoted(cursor, true) };
  const number = NUMBER.exec(cursor.text.slice(cursor.pos));
  if (number) {
    cursor.pos += number[0].length;
    return { kind: "literal", value: Number(number[0]) };
  }
  for (const [word, value] of KEYWORDS) {
    if (cursor.startsWith(word)) {
      cursor.pos += word.length;
      return { kind: "literal", value };
    }
  }
  return cursor.fail("expected a path, string, number, true, false or null");
}

/**
 * Jayway matches `=~` against the whole string (Java `Matcher.matches`). Compiled for a linear-time engine
 * (../regex/linear-regex.ts): data a caller sends cannot make it backtrack, and a pattern that needs
 * backtracking (backreferences, lookaround) is refused as a syntax error.
 */
function parseRegex(cursor: PathCursor): FilterOperand {
  cursor.expect("/");
  let source = "";
  while (!cursor.atEnd && cursor.peek() !== "/") {
    if (cursor.peek() === "\\") {
      source += cursor.peek();
      cursor.pos++;
    }
    source += cursor.peek();
    cursor.pos++;
  }
  cursor.expect("/");
  let flags = "";
  while (/[a-z]/.test(cursor.peek())) {
    flags += cursor.peek();
    cursor.pos++;
  }
  try {
    return { kind: "regex", regex: LinearRegex.compile(source, flags) };
  } catch {
    return cursor.fail(`invalid regular expression /${source}/`);
  }
}
