/**
 * Every JSONPath Choice comparison operator, with the operand it takes and how it compares. A value of
 * the wrong type never matches (NumericEquals on a string is false, not an error).
 */
import type { Json } from "../json.ts";
import { matchesWildcard } from "./string-matches.ts";
import { compareInstants, isTimestamp, parseTimestamp } from "./timestamp.ts";

/** What an operator's value must be: a literal of a type, or (the `…Path` operators) a path to read it from. */
export type ChoiceOperandKind = "string" | "number" | "boolean" | "timestamp" | "path";

export interface ChoiceOperatorSpec {
  readonly operand: ChoiceOperandKind;
  /**
   * `variable` is the value at `Variable` (`undefined` when nothing is there, which only IsPresent is asked
   * about); `operand` is the literal, or for `…Path` operators the value read.
   */
  readonly test: (variable: Json | undefined, operand: Json) => boolean;
}

type Relation = "Equals" | "LessThan" | "GreaterThan" | "LessThanEquals" | "GreaterThanEquals";

const RELATIONS: Readonly<Record<Relation, (order: number) => boolean>> = {
  Equals: (order) => order === 0,
  LessThan: (order) => order < 0,
  GreaterThan: (order) => order > 0,
  LessThanEquals: (order) => order <= 0,
  GreaterThanEquals: (order) => order >= 0,
};

/** UTF-16 code unit order, which is also Java's `String.compareTo`. */
function stringOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function typedComparison(kind: "string" | "number" | "timestamp", holds: (order: number) => boolean) {
  switch (kind) {
    case "string":
      return (variable: Json | undefined, operand: Json) =>
        typeof variable === "string" && typeof operand === "string" && holds(stringOrder(variable, operand));
    case "number":
      return (variable: Json | undefined, operand: Json) =>
        typeof variable === "number" && typeof operand === "number" && holds(variable - operand);
    case "timestamp":
      return (variable: Json | undefined, operand: Json) => {
        const left = typeof variable === "string" ? parseTimestamp(variable) : null;
        const right = typeof operand === "string" ? parseTimestamp(operand) : null;
        return left !== null && right !== null && holds(compareInstants(left, right));
      };
  }
}

function typeCheck(is: (value: Json | undefined) => boolean) {
  return { operand: "boolean" as const, test: (variable: Json | undefined, operand: Json) => is(variable) === operand };
}

function buildOperators(): Record<string, ChoiceOperatorSpec> {
  const operators: Record<string, ChoiceOperatorSpec> = {};
  const families = [
    ["String", "string"],
    ["Numeric", "number"],
    ["Timestamp", "timestamp"],
  ] as const;
  for (const [prefix, kind] of families) {
    for (const [relation, holds] of Object.entries(RELATIONS)) {
      const test = typedComparison(kind, holds);
      operators[`${prefix}${relation}`] = { operand: kind, test };
      operators[`${prefix}${relation}Path`] = { operand: "path", test };
    }
  }
  const booleanEquals = (variable: Json | undefined, operand: Json) => typeof variable === "boolean" && variable === operand;
  operators.BooleanEquals = { operand: "boolean", test: booleanEquals };
  operators.BooleanEqualsPath = { operand: "path", test: booleanEquals };
  operators.StringMatches = {
    operand: "string",
    test: (variable, operand) => typeof variable === "string" && typeof operand === "string" && matchesWildcard(variable, operand),
  };
  operators.IsNull = typeCheck((value) => value === null);
  operators.IsNumeric = typeCheck((value) => typeof value === "number");
  operators.IsString = typeCheck((value) => typeof value === "string");
  operators.IsBoolean = typeCheck((value) => typeof value === "boolean");
  operators.IsTimestamp = typeCheck(isTimestamp);
  operators.IsPresent = typeCheck((value) => value !== undefined);
  return operators;
}

export const CHOICE_OPERATOR_SPECS: Readonly<Record<string, ChoiceOperatorSpec>> = buildOperators();

/** The comparison operator names a JSONPath Choice rule may use with `Variable` (And/Or/Not are not among them). */
export const CHOICE_OPERATORS: readonly string[] = Object.freeze(Object.keys(CHOICE_OPERATOR_SPECS));
