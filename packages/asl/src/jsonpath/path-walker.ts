/**
 * Evaluates compiled segments the way Jayway JsonPath (AWS's engine) does: a missing property, an index out
 * of range or a node of the wrong type is silently skipped, except while every segment so far was definite,
 * where Jayway raises the error whose text AWS puts in the cause. Matches are returned by reference, never
 * copied: callers treat JSON values as immutable.
 */
import { isJsonObject, type Json, type JsonObject, jsonEquals } from "../json.ts";
import { setJsonProperty } from "../own-property.ts";
import { LinearRegex } from "../regex/linear-regex.ts";
import type { ComparisonOperator, CompiledSegments, FilterExpression, FilterOperand, PathSegment } from "./path-ast.ts";
import type { PathBudget } from "./path-budget.ts";
import { PathEvaluationError } from "./path-errors.ts";
import { renderSegment, renderSegments } from "./path-parser.ts";

export { PathEvaluationError };

interface Walk {
  readonly path: CompiledSegments;
  /** What `$` means inside a filter. */
  readonly document: Json;
  /** Raise Jayway's errors (top-level paths) rather than skip (paths inside filters). */
  readonly strict: boolean;
  readonly out: Json[];
  readonly budget: PathBudget;
  /** Whether what is selected counts as a result (not for the transient matches of a filter's own paths). */
  readonly counted: boolean;
}

/** Every node `path` selects from `node`, within `budget`. */
export function selectAll(path: CompiledSegments, node: Json, document: Json, strict: boolean, budget: PathBudget): Json[] {
  const out: Json[] = [];
  step({ path, document, strict, out, budget, counted: true }, 0, node);
  return out;
}

function selectWithin(walk: Walk, path: CompiledSegments, node: Json): Json[] {
  const out: Json[] = [];
  step({ path, document: walk.document, strict: false, out, budget: walk.budget, counted: false }, 0, node);
  return out;
}

function output(walk: Walk, node: Json): void {
  if (walk.counted) walk.budget.selected(node);
  walk.out.push(node);
}

/**
 * The single node a reference path (single names and indices only) selects: the fast path for what nearly
 * every state uses. When there is none, `strict` throws Jayway's error; otherwise the result is `undefined`.
 */
export function selectReference(path: CompiledSegments, node: Json, strict: boolean): Json | undefined {
  const { segments, prefixes } = path;
  let current = node;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as PathSegment;
    if (segment.kind === "property") {
      const name = segment.names[0] as string;
      if (!isJsonObject(current) || !Object.hasOwn(current, name)) {
        if (!strict) return undefined;
        if (!isJsonObject(current)) throw expectedObject(segment, prefixes[i] as string, current);
        throw i === segments.length - 1 ? noResults(path) : missingProperty(prefixes[i] as string, name);
      }
      current = current[name] as Json;
    } else if (segment.kind === "index") {
      const index = segment.indexes[0] as number;
      const effective = Array.isArray(current) && index < 0 ? current.length + index : index;
      if (!Array.isArray(current) || effective < 0 || effective >= current.length) {
        if (!strict) return undefined;
        assertArray(path, i, current);
        throw noResults(path);
      }
      current = current[effective] as Json;
    } else {
      throw new Error(`selectReference needs a reference path, got a '${segment.kind}' segment`);
    }
  }
  return current;
}

export function noResults(path: CompiledSegments): PathEvaluationError {
  return new PathEvaluationError(`No results for path: ${path.rendered}`);
}

function step(walk: Walk, i: number, node: Json): void {
  walk.budget.spend();
  const segments = walk.path.segments;
  if (i === segments.length) {
    output(walk, node);
    return;
  }
  const segment = segments[i] as PathSegment;
  const raising = walk.strict && (walk.path.upstreamDefinite[i] as boolean);
  switch (segment.kind) {
    case "property":
      stepProperty(walk, i, segment, node, raising);
      return;
    case "index":
      if (!isArrayFor(walk.path, i, node, raising)) return;
      for (const index of segment.indexes) stepIndex(walk, i, node as Json[], index);
      return;
    case "slice":
      if (isArrayFor(walk.path, i, node, raising)) stepSlice(walk, i, segment, node as Json[]);
      return;
    case "wildcard":
      if (isJsonObject(node)) for (const key of Object.keys(node)) step(walk, i + 1, node[key] as Json);
      else if (Array.isArray(node)) for (const item of node) step(walk, i + 1, item);
      return;
    case "scan":
      scan(walk, i + 1, node);
      return;
    case "filter":
      if (isJsonObject(node)) {
        if (accepts(walk, segment.expression, node)) step(walk, i + 1, node);
      } else if (Array.isArray(node)) {
        for (const item of node) if (accepts(walk, segment.expression, item)) step(walk, i + 1, item);
      } else if (raising) {
        throw new PathEvaluationError(
          `Filter: ${renderSegments(segments, i)} can not be applied to primitives. Current context is: ${javaToString(node)}`,
        );
      }
      return;
  }
}

function stepProperty(walk: Walk, i: number, segment: PathSegment & { kind: "property" }, node: Json, raising: boolean): void {
  if (!isJsonObject(node)) {
    if (raising) throw expectedObject(segment, walk.path.prefixes[i] as string, node);
    return;
  }
  const isLeaf = i === walk.path.segments.length - 1;
  if (segment.names.length > 1 && isLeaf) {
    const merged: JsonObject = {};
    for (const name of segment.names) if (Object.hasOwn(node, name)) setJsonProperty(merged, name, node[name] as Json);
    output(walk, merged);
    return;
  }
  for (const name of segment.names) {
    if (Object.hasOwn(node, name)) step(walk, i + 1, node[name] as Json);
    else if (raising && !isLeaf && segment.names.length === 1) throw missingProperty(walk.path.prefixes[i] as string, name);
  }
}

function stepIndex(walk: Walk, i: number, array: Json[], index: number): void {
  const effective = index < 0 ? array.length + index : index;
  if (effective >= 0 && effective < array.length) step(walk, i + 1, array[effective] as Json);
}

/** Jayway's slice arithmetic, quirks included (`[1:-1]` selects nothing; a negative start counts from the end). */
function stepSlice(walk: Walk, i: number, segment: PathSegment & { kind: "slice" }, array: Json[]): void {
  const length = array.length;
  if (length === 0) return;
  const { from, to } = segment;
  if (to === null) {
    const start = Math.max(0, from !== null && from < 0 ? length + from : (from ?? 0));
    for (let k = start; k < length; k++) stepIndex(walk, i, array, k);
  } else if (from === null) {
    const end = Math.min(length, to < 0 ? length + to : to);
    for (let k = 0; k < end; k++) stepIndex(walk, i, array, k);
  } else {
    const end = Math.min(length, to);
    for (let k = from; k < end; k++) stepIndex(walk, i, array, k);
  }
}

/** `..`: applies segment `next` at this node and at every object and array below it, in document order. */
function scan(walk: Walk, next: number, node: Json): void {
  walk.budget.spend();
  const children = isJsonObject(node) ? Object.values(node) : Array.isArray(node) ? node : null;
  if (children === null) return;
  if (scanMatches(walk, next, node)) step(walk, next, node);
  for (const child of children) scan(walk, next, child);
}

/** Jayway's scan predicates: whether segment `i` applies at `node` at all. */
function scanMatches(walk: Walk, i: number, node: Json): boolean {
  const segment = walk.path.segments[i] as PathSegment;
  switch (segment.kind) {
    case "property": {
      if (!isJsonObject(node)) return false;
      const iterates = segment.names.length > 1 && i < walk.path.segments.length - 1;
      return iterates || segment.names.every((name) => Object.hasOwn(node, name));
    }
    case "index":
    case "slice":
      return Array.isArray(node);
    case "filter":
      return accepts(walk, segment.expression, node);
    default:
      return true;
  }
}

function isArrayFor(path: CompiledSegments, i: number, node: Json, raising: boolean): boolean {
  if (Array.isArray(node)) return true;
  if (raising) assertArray(path, i, node);
  return false;
}

function assertArray(path: CompiledSegments, i: number, node: Json): void {
  if (node === null) throw new PathEvaluationError(`The path ${path.prefixes[i]} is null`);
  if (!Array.isArray(node)) {
    throw new PathEvaluationError(
      `Filter: ${renderSegments(path.segments, i)} can only be applied to arrays. Current context is: ${javaToString(node)}`,
    );
  }
}

function accepts(walk: Walk, expression: FilterExpression, item: Json): boolean {
  walk.budget.spend();
  switch (expression.kind) {
    case "or":
      return accepts(walk, expression.left, item) || accepts(walk, expression.right, item);
    case "and":
      return accepts(walk, expression.left, item) && accepts(walk, expression.right, item);
    case "not":
      return !accepts(walk, expression.operand, item);
    case "exists":
      return selectWithin(walk, expression.path, expression.path.origin === "current" ? item : walk.document).length > 0;
    case "compare":
      return compare(walk, expression.operator, operandValue(walk, expression.left, item), operandValue(walk, expression.right, item));
  }
}

type OperandValue = Json | LinearRegex | undefined;

function operandValue(walk: Walk, operand: FilterOperand, item: Json): OperandValue {
  if (operand.kind === "literal") return operand.value;
  if (operand.kind === "regex") return operand.regex;
  const path = operand.path;
  const matches = selectWithin(walk, path, path.origin === "current" ? item : walk.document);
  return path.definite ? matches[0] : matches;
}

function compare(walk: Walk, operator: ComparisonOperator, left: OperandValue, right: OperandValue): boolean {
  switch (operator) {
    case "==":
      return valuesEqual(walk, left, right);
    case "!=":
      return !valuesEqual(walk, left, right);
    case "<":
      return order(left, right) < 0;
    case "<=":
      return order(left, right) <= 0;
    case ">":
      return order(left, right) > 0;
    case ">=":
      return order(left, right) >= 0;
    case "=~":
      return typeof left === "string" && isRegex(right) && right.matchesWhole(left, walk.budget.deadline);
  }
}

/** Jayway compares a number with a string by reading the string as a number. */
function valuesEqual(walk: Walk, left: OperandValue, right: OperandValue): boolean {
  if (left === undefined || right === undefined || isRegex(left) || isRegex(right)) return false;
  if (typeof left === "number" && typeof right === "string") return numericString(right) === left;
  if (typeof left === "string" && typeof right === "number") return numericString(left) === right;
  walk.budget.compared(left, right);
  return jsonEquals(left, right);
}

function isRegex(value: OperandValue): value is LinearRegex {
  return value instanceof LinearRegex;
}

function numericString(text: string): number | undefined {
  const value = text.trim() === "" ? Number.NaN : Number(text);
  return Number.isNaN(value) ? undefined : value;
}

/** Negative, zero or positive when both are numbers or both are strings; NaN (every comparison false) otherwise. */
function order(left: OperandValue, right: OperandValue): number {
  if (typeof left === "number" && typeof right === "number") return left - right;
  if (typeof left === "string" && typeof right === "string") return left < right ? -1 : left > right ? 1 : 0;
  return Number.NaN;
}

function expectedObject(segment: PathSegment, walked: string, node: Json): PathEvaluationError {
  return new PathEvaluationError(
    `Expected to find an object with property ${renderSegment(segment)} in path ${walked} but found '${javaClassName(node)}'. ` +
      "This is not a json object according to the JsonProvider: 'com.jayway.jsonpath.spi.json.JsonSmartJsonProvider'.",
  );
}

function missingProperty(walked: string, name: string): PathEvaluationError {
  return new PathEvaluationError(`Missing property in path ${walked}['${name}']`);
}

/** The Java type Jayway's default JSON provider (json-smart) holds a value as, which its causes name. */
function javaClassName(node: Json): string {
  if (node === null) return "null";
  if (Array.isArray(node)) return "net.minidev.json.JSONArray";
  switch (typeof node) {
    case "string":
      return "java.lang.String";
    case "boolean":
      return "java.lang.Boolean";
    case "number":
      if (!Number.isInteger(node)) return "java.lang.Double";
      return Math.abs(node) <= 2 ** 31 - 1 ? "java.lang.Integer" : "java.lang.Long";
    default:
      return "net.minidev.json.JSONObject";
  }
}

function javaToString(node: Json): string {
  return typeof node === "string" ? node : JSON.stringify(node);
}
