/**
 * Checks an event pattern as EventBridge does and compiles it. A pattern is a JSON object whose fields
 * hold either a nested object or an array of values to match: exact values (strings, numbers, true,
 * false, null) and one-key objects for the comparison operators (`prefix`, `suffix`,
 * `equals-ignore-case`, `wildcard`, `anything-but`, `numeric`, `exists`, `cidr`). `$or` holds an array of
 * two or more patterns, one of which must match. Anything else is an InvalidEventPatternException that
 * names the field.
 */
import { parseCidr } from "./ip-range.ts";
import { type AnythingBut, type Bound, InvalidEventPattern, type Matcher, type ObjectPattern } from "./pattern-types.ts";
import { wildcardRegex } from "./wildcard.ts";

/** Event Ruler's bounds for numeric matching. */
const NUMERIC_LIMIT = 5e9;
/** The names `$or` alternatives may not use as fields (they are the operators). */
const OPERATORS = new Set(["prefix", "suffix", "equals-ignore-case", "wildcard", "anything-but", "numeric", "exists", "cidr"]);

const fail = (reason: string) => new InvalidEventPattern(reason);
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** The pattern of a rule (its JSON text). */
export function compilePattern(text: string): ObjectPattern {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw fail(`Filter is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(value)) throw fail("Filter is not an object");
  return compileObject(value, "");
}

function compileObject(value: Record<string, unknown>, path: string): ObjectPattern {
  const entries = Object.entries(value);
  if (entries.length === 0) throw fail(`Empty objects are not allowed${path ? ` at "${path}"` : ""}`);
  const fields: Array<ObjectPattern["fields"][number]> = [];
  const or: ObjectPattern[][] = [];
  for (const [name, member] of entries) {
    const at = path ? `${path}.${name}` : name;
    if (name === "$or" && isOrGroup(member)) {
      or.push(member.map((alternative, i) => compileObject(alternative, `${at}[${i}]`)));
    } else if (isObject(member)) {
      fields.push({ name, pattern: compileObject(member, at) });
    } else if (Array.isArray(member)) {
      if (member.length === 0) throw fail(`Empty arrays are not allowed at "${at}"`);
      fields.push({ name, pattern: member.map((m) => compileMatcher(m, at)) });
    } else {
      throw fail(`"${at}" must be an object or an array`);
    }
  }
  return { fields, or };
}

/** As Event Ruler reads `$or`: an array of at least two objects none of whose keys is an operator. */
function isOrGroup(member: unknown): member is Array<Record<string, unknown>> {
  return (
    Array.isArray(member) &&
    member.length >= 2 &&
    member.every((alternative) => isObject(alternative) && !Object.keys(alternative).some((key) => OPERATORS.has(key)))
  );
}

function compileMatcher(value: unknown, at: string): Matcher {
  if (value === null || typeof value === "string" || typeof value === "boolean") return { kind: "exact", value };
  if (typeof value === "number") return { kind: "exact", value };
  if (Array.isArray(value))
    throw fail(`Match value at "${at}" must be a string, number, true, false, null or an operator object, not an array`);
  const keys = Object.keys(value as object);
  if (keys.length !== 1) throw fail(`An operator object at "${at}" must have exactly one key, not ${keys.length}`);
  const operator = keys[0] as string;
  const operand = (value as Record<string, unknown>)[operator];
  const where = `"${operator}" at "${at}"`;
  switch (operator) {
    case "prefix":
    case "suffix": {
      if (typeof operand === "string") return { kind: operator, value: operand, ignoreCase: false };
      if (isObject(operand) && Object.keys(operand).length === 1 && typeof operand["equals-ignore-case"] === "string") {
        return { kind: operator, value: operand["equals-ignore-case"], ignoreCase: true };
      }
      throw fail(`${where} must be a string, or an object with "equals-ignore-case" and a string`);
    }
    case "equals-ignore-case":
      if (typeof operand !== "string") throw fail(`${where} must be a string`);
      return { kind: operator, value: operand };
    case "wildcard":
      if (typeof operand !== "string") throw fail(`${where} must be a string`);
      return { kind: operator, regex: wildcardRegex(operand) };
    case "exists":
      if (typeof operand !== "boolean") throw fail(`${where} must be true or false`);
      return { kind: operator, value: operand };
    case "cidr": {
      const range = typeof operand === "string" ? parseCidr(operand) : undefined;
      if (!range) throw fail(`${where} must be an IPv4 or IPv6 address or CIDR block, such as "10.0.0.0/24"`);
      return { kind: operator, range };
    }
    case "numeric":
      return { kind: operator, ...numericRange(operand, where) };
    case "anything-but":
      return { kind: operator, but: anythingBut(operand, where) };
    default:
      throw fail(`Unrecognized match type ${operator} at "${at}"`);
  }
}

function checkNumber(value: unknown, where: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw fail(`${where}: a numeric operator must be followed by a number`);
  if (Math.abs(value) > NUMERIC_LIMIT) throw fail(`${where}: ${value} is outside the range -5.0e9 to 5.0e9`);
  return value;
}

/** `["=", n]`, or one lower bound (`>`, `>=`) and/or one upper bound (`<`, `<=`). */
function numericRange(operand: unknown, where: string): { lower?: Bound; upper?: Bound } {
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) {
    throw fail(`${where} must be an array of an operator and a number, or two of them`);
  }
  if (operand[0] === "=") {
    if (operand.length !== 2) throw fail(`${where}: "=" takes one number only`);
    const value = checkNumber(operand[1], where);
    return { lower: { value, inclusive: true }, upper: { value, inclusive: true } };
  }
  const range: { lower?: Bound; upper?: Bound } = {};
  for (let i = 0; i < operand.length; i += 2) {
    const op = operand[i];
    const value = checkNumber(operand[i + 1], where);
    const side = op === ">" || op === ">=" ? "lower" : op === "<" || op === "<=" ? "upper" : undefined;
    if (!side) throw fail(`${where}: unrecognized numeric range operator ${JSON.stringify(op)}`);
    if (range[side]) throw fail(`${where}: two ${side === "lower" ? "lower" : "upper"} bounds`);
    range[side] = { value, inclusive: op === ">=" || op === "<=" };
  }
  if (range.lower && range.upper && range.lower.value >= range.upper.value) {
    throw fail(`${where}: the bottom must be less than the top`);
  }
  return range;
}

function stringList(value: unknown, where: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every((v) => typeof v === "string"))
    throw fail(`${where} must be a string or a non-empty list of strings`);
  return list as string[];
}

/** A value, a list of all strings or all numbers, or an object of prefix, suffix, equals-ignore-case or wildcard. */
function anythingBut(operand: unknown, where: string): AnythingBut {
  if (typeof operand === "string") return { kind: "values", values: [operand] };
  if (typeof operand === "number") return { kind: "values", values: [checkNumber(operand, where)] };
  if (Array.isArray(operand)) {
    if (operand.length === 0) throw fail(`${where}: the list must not be empty`);
    if (operand.every((v) => typeof v === "string")) return { kind: "values", values: operand as string[] };
    if (operand.every((v) => typeof v === "number")) return { kind: "values", values: operand.map((v) => checkNumber(v, where)) };
    throw fail(`${where}: a list must hold only strings or only numbers`);
  }
  if (isObject(operand) && Object.keys(operand).length === 1) {
    const [key] = Object.keys(operand) as [string];
    const inner = operand[key];
    if (key === "prefix" || key === "suffix") {
      if (typeof inner !== "string" || inner === "") throw fail(`${where}: "${key}" must be a non-empty string`);
      return { kind: key, value: inner };
    }
    if (key === "equals-ignore-case") return { kind: key, values: stringList(inner, `${where}: "${key}"`) };
    if (key === "wildcard") return { kind: key, regexes: stringList(inner, `${where}: "${key}"`).map(wildcardRegex) };
  }
  throw fail(
    `${where} must be a string, a number, a list of strings or numbers, or an object of "prefix", "suffix", "equals-ignore-case" or "wildcard"`,
  );
}
