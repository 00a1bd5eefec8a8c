/**
 * Does an event match a compiled pattern? As EventBridge matches: every field of the pattern must match
 * (fields the pattern does not name are ignored), a field matches when any value of its array matches,
 * an array in the event matches when any of its elements does, and `exists` looks at leaves only (an
 * object where the pattern expects a leaf counts as absent). Strings compare character by character,
 * numbers by value, and true, false and null only themselves.
 */
import { inRange } from "./ip-range.ts";
import type { AnythingBut, Matcher, ObjectPattern } from "./pattern-types.ts";

type Leaf = string | number | boolean | null;

export function matchesPattern(pattern: ObjectPattern, event: unknown): boolean {
  return matchesObject(pattern, event);
}

function matchesObject(pattern: ObjectPattern, value: unknown): boolean {
  // An array of objects: the pattern matches if one element matches all of it.
  if (Array.isArray(value)) {
    const objects = value.flat(Number.POSITIVE_INFINITY).filter(isObject);
    return objects.length === 0 ? matchesObject(pattern, undefined) : objects.some((element) => matchesObject(pattern, element));
  }
  const object = isObject(value) ? value : undefined;
  for (const { name, pattern: field } of pattern.fields) {
    const member = object !== undefined && Object.hasOwn(object, name) ? object[name] : undefined;
    if (
      Array.isArray(field) ? !matchesLeaves(field as readonly Matcher[], leavesOf(member)) : !matchesObject(field as ObjectPattern, member)
    ) {
      return false;
    }
  }
  return pattern.or.every((alternatives) => alternatives.some((alternative) => matchesObject(alternative, value)));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The leaf values at a field: the value itself, or an array's leaves; objects are not leaves. */
function leavesOf(value: unknown): Leaf[] {
  if (value === undefined || isObject(value)) return [];
  if (Array.isArray(value)) return value.flat(Number.POSITIVE_INFINITY).filter((v) => !isObject(v)) as Leaf[];
  return [value as Leaf];
}

function matchesLeaves(matchers: readonly Matcher[], leaves: readonly Leaf[]): boolean {
  return matchers.some((matcher) => {
    if (matcher.kind === "exists") return matcher.value === leaves.length > 0;
    return leaves.some((leaf) => matchesLeaf(matcher, leaf));
  });
}

const lower = (text: string) => text.toLowerCase();

function matchesLeaf(matcher: Exclude<Matcher, { kind: "exists" }>, leaf: Leaf): boolean {
  switch (matcher.kind) {
    case "exact":
      return leaf === matcher.value;
    case "prefix":
      return (
        typeof leaf === "string" && (matcher.ignoreCase ? lower(leaf).startsWith(lower(matcher.value)) : leaf.startsWith(matcher.value))
      );
    case "suffix":
      return typeof leaf === "string" && (matcher.ignoreCase ? lower(leaf).endsWith(lower(matcher.value)) : leaf.endsWith(matcher.value));
    case "equals-ignore-case":
      return typeof leaf === "string" && lower(leaf) === lower(matcher.value);
    case "wildcard":
      return typeof leaf === "string" && matcher.regex.test(leaf);
    case "numeric":
      return (
        typeof leaf === "number" &&
        (!matcher.lower || (matcher.lower.inclusive ? leaf >= matcher.lower.value : leaf > matcher.lower.value)) &&
        (!matcher.upper || (matcher.upper.inclusive ? leaf <= matcher.upper.value : leaf < matcher.upper.value))
      );
    case "cidr":
      return typeof leaf === "string" && inRange(matcher.range, leaf);
    case "anything-but":
      return matchesAnythingBut(matcher.but, leaf);
  }
}

function matchesAnythingBut(but: AnythingBut, leaf: Leaf): boolean {
  switch (but.kind) {
    case "values":
      return !but.values.includes(leaf as string | number);
    case "prefix":
      return typeof leaf === "string" && !leaf.startsWith(but.value);
    case "suffix":
      return typeof leaf === "string" && !leaf.endsWith(but.value);
    case "equals-ignore-case":
      return typeof leaf === "string" && !but.values.some((value) => lower(value) === lower(leaf));
    case "wildcard":
      return typeof leaf === "string" && !but.regexes.some((regex) => regex.test(leaf));
  }
}
