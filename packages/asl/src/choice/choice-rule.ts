/**
 * JSONPath Choice rules: `Variable` with one comparison operator, or `And` / `Or` / `Not` over rules.
 * A `Variable` that selects nothing fails the state (States.Runtime), except under IsPresent, which is
 * exactly the question whether it selects something. Rules are compiled once per definition object.
 */
import type { ChoiceExpression } from "../definition.ts";
import { runtimeError } from "../errors.ts";
import type { EvaluationScope } from "../evaluation-scope.ts";
import type { Json } from "../json.ts";
import { findPath } from "../jsonpath/path.ts";
import { CHOICE_OPERATOR_SPECS, type ChoiceOperatorSpec } from "./choice-operators.ts";

export { CHOICE_OPERATOR_SPECS, CHOICE_OPERATORS, type ChoiceOperandKind, type ChoiceOperatorSpec } from "./choice-operators.ts";

type CompiledRule =
  | { kind: "and" | "or"; rules: readonly CompiledRule[] }
  | { kind: "not"; rule: CompiledRule }
  | { kind: "comparison"; variable: string; operator: string; spec: ChoiceOperatorSpec; operand: Json };

const compiledRules = new WeakMap<ChoiceExpression, CompiledRule>();

export function evaluateChoiceRule(rule: ChoiceExpression, input: Json, scope: EvaluationScope): boolean {
  return evaluate(compile(rule), input, scope);
}

function evaluate(rule: CompiledRule, input: Json, scope: EvaluationScope): boolean {
  switch (rule.kind) {
    case "and":
      return rule.rules.every((inner) => evaluate(inner, input, scope));
    case "or":
      return rule.rules.some((inner) => evaluate(inner, input, scope));
    case "not":
      return !evaluate(rule.rule, input, scope);
    case "comparison":
      return compareRule(rule, input, scope);
  }
}

function compareRule(rule: CompiledRule & { kind: "comparison" }, input: Json, scope: EvaluationScope): boolean {
  const value = findPath(rule.variable, input, scope);
  if (value === undefined && rule.operator !== "IsPresent") {
    throw runtimeError(`Invalid path '${rule.variable}': The choice state's condition path references an invalid value.`);
  }
  let operand = rule.operand;
  if (rule.spec.operand === "path") {
    const path = operand as string;
    const found = findPath(path, input, scope);
    if (found === undefined) throw runtimeError(`Invalid path '${path}': The choice state's comparison path references an invalid value.`);
    operand = found;
  }
  return rule.spec.test(value, operand);
}

function compile(rule: ChoiceExpression): CompiledRule {
  let compiled = compiledRules.get(rule);
  if (compiled === undefined) {
    compiled = compileUncached(rule);
    compiledRules.set(rule, compiled);
  }
  return compiled;
}

function compileUncached(rule: ChoiceExpression): CompiledRule {
  if (rule.And !== undefined) return { kind: "and", rules: rule.And.map(compile) };
  if (rule.Or !== undefined) return { kind: "or", rules: rule.Or.map(compile) };
  if (rule.Not !== undefined) return { kind: "not", rule: compile(rule.Not) };
  const operators = Object.keys(rule).filter((key) => Object.hasOwn(CHOICE_OPERATOR_SPECS, key));
  if (typeof rule.Variable !== "string" || operators.length !== 1) {
    throw runtimeError("A choice rule needs a Variable and exactly one comparison operator, or And, Or or Not");
  }
  const operator = operators[0] as string;
  return {
    kind: "comparison",
    variable: rule.Variable,
    operator,
    spec: CHOICE_OPERATOR_SPECS[operator] as ChoiceOperatorSpec,
    operand: rule[operator] as Json,
  };
}
