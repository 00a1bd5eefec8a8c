/**
 * Parses JSONPath text into segments, accepting what Jayway JsonPath (AWS's engine) accepts, plus the
 * Step Functions roots `$$` (context object) and `$name` (variable). Functions such as `length()` are
 * rejected: AWS documents them as unsupported.
 */

import { parseFilterExpression } from "./filter-parser.ts";
import type { CompiledPath, CompiledSegments, PathRoot, PathSegment } from "./path-ast.ts";
import { isWhitespace, PathCursor } from "./path-cursor.ts";

const INPUT_ROOT: PathRoot = { kind: "input" };
const CONTEXT_ROOT: PathRoot = { kind: "context" };
const WILDCARD: PathSegment = { kind: "wildcard" };
const SCAN: PathSegment = { kind: "scan" };
const VARIABLE_START = /[\p{L}_]/u;
const VARIABLE_PART = /[\p{L}\p{N}_]/u;
/** Inside a filter a dotted name also ends where an operator or the filter's end begins. */
const FILTER_NAME_TERMINATORS = new Set([")", "]", "=", "!", "<", ">", "&", "|", ","]);
const INTEGER = /^-?\d+$/;
const JAVA_INT_MAX = 2 ** 31 - 1;

export function parsePath(text: string): CompiledPath {
  const cursor = new PathCursor(text);
  const root = parseRoot(cursor);
  const segments = parseSegments(cursor, false);
  return { text, root, reference: segments.every(isReferenceSegment), ...describeSegments(segments) };
}

function parseRoot(cursor: PathCursor): PathRoot {
  if (cursor.peek() !== "$") cursor.fail("a path must start with '$'");
  cursor.pos++;
  if (cursor.peek() === "$") {
    cursor.pos++;
    return CONTEXT_ROOT;
  }
  if (!VARIABLE_START.test(cursor.peek())) return INPUT_ROOT;
  const start = cursor.pos;
  while (!cursor.atEnd && VARIABLE_PART.test(cursor.peek())) cursor.pos++;
  return { kind: "variable", name: cursor.text.slice(start, cursor.pos) };
}

/** Reads segments up to the end of the text, or (inside a filter) up to the first character that cannot continue a path. */
export function parseSegments(cursor: PathCursor, inFilter: boolean): PathSegment[] {
  const segments: PathSegment[] = [];
  while (!cursor.atEnd) {
    const char = cursor.peek();
    if (char === ".") {
      if (cursor.peek(1) === ".") {
        cursor.pos += 2;
        segments.push(SCAN);
      } else {
        cursor.pos++;
      }
      segments.push(parseAfterDot(cursor, inFilter));
    } else if (char === "[") {
      segments.push(parseBracket(cursor));
    } else if (inFilter) {
      break;
    } else {
      cursor.fail(`unexpected '${char}'`);
    }
  }
  return segments;
}

function parseAfterDot(cursor: PathCursor, inFilter: boolean): PathSegment {
  if (cursor.atEnd) cursor.fail("a path must not end with '.'");
  const char = cursor.peek();
  if (char === "*") {
    cursor.pos++;
    return WILDCARD;
  }
  if (char === "[") return parseBracket(cursor);
  if (char === ".") cursor.fail("unexpected '.'");
  return { kind: "property", names: [readDottedName(cursor, inFilter)], quote: "'" };
}

function readDottedName(cursor: PathCursor, inFilter: boolean): string {
  const start = cursor.pos;
  while (!cursor.atEnd) {
    const char = cursor.peek();
    if (char === "." || char === "[") break;
    if (char === "(") cursor.fail("path functions are not supported");
    if (isWhitespace(char)) {
      if (inFilter) break;
      cursor.fail("a name with blanks needs bracket notation ['my name']");
    }
    if (inFilter && FILTER_NAME_TERMINATORS.has(char)) break;
    cursor.pos++;
  }
  if (cursor.pos === start) cursor.fail("expected a name");
  return cursor.text.slice(start, cursor.pos);
}

function parseBracket(cursor: PathCursor): PathSegment {
  cursor.expect("[");
  cursor.skipWhitespace();
  const char = cursor.peek();
  let segment: PathSegment;
  if (char === "?") {
    cursor.pos++;
    cursor.skipWhitespace();
    cursor.expect("(");
    const expression = parseFilterExpression(cursor);
    cursor.skipWhitespace();
    cursor.expect(")");
    segment = { kind: "filter", expression };
  } else if (char === "*") {
    cursor.pos++;
    segment = WILDCARD;
  } else if (char === "'" || char === '"') {
    segment = parseQuotedNames(cursor, char);
  } else if (char === "-" || char === ":" || (char >= "0" && char <= "9")) {
    segment = parseIndexOrSlice(cursor);
  } else {
    cursor.fail("expected ?, ', \", 0-9, : or * after '['");
  }
  cursor.skipWhitespace();
  cursor.expect("]");
  return segment;
}

/**
 * AWS keeps a bracketed name exactly as written: a backslash only stops the next character from closing
 * the name, it is not removed (`$['a\'b']` reads the key `a\'b`; a conformance case shows it).
 */
function parseQuotedNames(cursor: PathCursor, quote: "'" | '"'): PathSegment {
  const names = [readQuoted(cursor, false)];
  cursor.skipWhitespace();
  while (cursor.peek() === ",") {
    cursor.pos++;
    cursor.skipWhitespace();
    names.push(readQuoted(cursor, false));
    cursor.skipWhitespace();
  }
  return { kind: "property", names, quote };
}

/** A quoted string starting at the cursor; `decodeEscapes` turns Java-style escapes into the characters they stand for. */
export function readQuoted(cursor: PathCursor, decodeEscapes: boolean): string {
  const quote = cursor.peek();
  if (quote !== "'" && quote !== '"') cursor.fail("expected a quoted string");
  cursor.pos++;
  let value = "";
  while (!cursor.atEnd) {
    const char = cursor.peek();
    cursor.pos++;
    if (char === quote) return value;
    if (char !== "\\") {
      value += char;
    } else if (decodeEscapes) {
      value += readEscape(cursor);
    } else if (!cursor.atEnd) {
      value += char + cursor.peek();
      cursor.pos++;
    }
  }
  return cursor.fail("unterminated string");
}

const SIMPLE_ESCAPES: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

function readEscape(cursor: PathCursor): string {
  if (cursor.atEnd) cursor.fail("unterminated escape");
  const char = cursor.peek();
  cursor.pos++;
  if (char === "u") {
    const hex = cursor.text.slice(cursor.pos, cursor.pos + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) cursor.fail("invalid unicode escape");
    cursor.pos += 4;
    return String.fromCharCode(Number.parseInt(hex, 16));
  }
  return SIMPLE_ESCAPES[char] ?? char;
}

function parseIndexOrSlice(cursor: PathCursor): PathSegment {
  const start = cursor.pos;
  while (!cursor.atEnd && cursor.peek() !== "]") cursor.pos++;
  const body = cursor.text.slice(start, cursor.pos).trim();
  if (body.includes(":")) {
    const [from = "", to = ""] = body.split(":");
    // Jayway reads only `from` and `to`; a third part (a step) is ignored, not rejected.
    const slice = { kind: "slice" as const, from: readOptionalInteger(cursor, from), to: readOptionalInteger(cursor, to) };
    if (slice.from === null && slice.to === null) cursor.fail(`invalid slice '${body}'`);
    return slice;
  }
  return { kind: "index", indexes: body.split(",").map((part) => readInteger(cursor, part.trim())) };
}

function readOptionalInteger(cursor: PathCursor, text: string): number | null {
  return text === "" ? null : readInteger(cursor, text);
}

function readInteger(cursor: PathCursor, text: string): number {
  const value = Number(text);
  if (!INTEGER.test(text) || Math.abs(value) > JAVA_INT_MAX) cursor.fail(`invalid array index '${text}'`);
  return value;
}

function isReferenceSegment(segment: PathSegment): boolean {
  return (segment.kind === "property" && segment.names.length === 1) || (segment.kind === "index" && segment.indexes.length === 1);
}

export function describeSegments(segments: readonly PathSegment[]): CompiledSegments {
  const upstreamDefinite: boolean[] = [];
  const prefixes: string[] = [];
  let prefix = "$";
  let definite = true;
  segments.forEach((segment, i) => {
    upstreamDefinite.push(definite);
    prefixes.push(prefix);
    prefix += walkedFragment(segment);
    definite &&= isSegmentDefinite(segment, i === segments.length - 1);
  });
  return { segments, upstreamDefinite, prefixes, rendered: renderSegments(segments), definite };
}

/** While walking, Jayway records a property as `['name']` (unescaped) and an index as `[n]`. */
function walkedFragment(segment: PathSegment): string {
  if (segment.kind === "property" && segment.names.length === 1) return `['${segment.names[0]}']`;
  return renderSegment(segment);
}

export function renderSegments(segments: readonly PathSegment[], from = 0): string {
  let text = from === 0 ? "$" : "";
  for (let i = from; i < segments.length; i++) text += renderSegment(segments[i] as PathSegment);
  return text;
}

function isSegmentDefinite(segment: PathSegment, isLeaf: boolean): boolean {
  if (segment.kind === "property") return segment.names.length === 1 || isLeaf;
  return segment.kind === "index" && segment.indexes.length === 1;
}

/** Jayway's `getPathFragment()`, which its error causes print. */
export function renderSegment(segment: PathSegment): string {
  switch (segment.kind) {
    case "property": {
      return `[${segment.names.map((name) => segment.quote + name + segment.quote).join(",")}]`;
    }
    case "index":
      return `[${segment.indexes.join(",")}]`;
    case "slice":
      return `[${segment.from ?? ""}:${segment.to ?? ""}]`;
    case "wildcard":
      return "[*]";
    case "scan":
      return "..";
    case "filter":
      return "[?]";
  }
}
