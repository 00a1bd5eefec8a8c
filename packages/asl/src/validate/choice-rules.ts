/**
 * A Choice state's rules. JSONPath rules are `Variable` + one comparison operator, or And/Or/Not of
 * nested rules (which carry no `Next`); JSONata rules are a `Condition`. Rule `Next` targets and
 * `Default` are checked with the other transitions.
 */
import { CHOICE_OPERATOR_SPECS, CHOICE_OPERATORS, type ChoiceOperandKind } from "../choice/choice-rule.ts";
import { isJsonObject, type Json, type JsonObject } from "../json.ts";
import type { StateContext } from "./context.ts";
import { DiagnosticCode, fieldAt, indexAt } from "./diagnostics.ts";
import { checkJsonata, checkJsonataTemplate, checkPath, isJsonataExpression } from "./expressions.ts";
import { checkString, has, requireFields } from "./field-values.ts";
import { checkAssign } from "./state-fields.ts";

const OPERATORS: ReadonlySet<string> = new Set(CHOICE_OPERATORS);
const COMBINATORS = ["And", "Or", "Not"];

/** What a literal operand must be. Timestamp literals are only required to be strings: AWS accepts any. */
function operandFits(value: unknown, kind: Exclude<ChoiceOperandKind, "path">): boolean {
  switch (kind) {
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case "string":
    case "timestamp":
      return typeof value === "string";
  }
}

export function checkChoiceFields(sc: StateContext): void {
  const d = sc.machine.diagnostics;
  checkString(d, sc.state, "Default", sc.location);
  if (!requireFields(d, sc.state, ["Choices"], sc.location)) return;
  const choices = sc.state.Choices;
  const at = fieldAt(sc.location, "Choices");
  if (!Array.isArray(choices) || choices.length === 0) {
    d.schema("The value for the field 'Choices' must be a non-empty ARRAY", at);
    return;
  }
  choices.forEach((rule, i) => {
    const ruleAt = indexAt(at, i);
    if (!isJsonObject(rule)) d.schema("A choice rule must be an OBJECT", ruleAt);
    else if (sc.language === "JSONata") checkJsonataRule(sc, rule, ruleAt);
    else checkJsonPathRule(sc, rule, ruleAt, 0);
  });
}

function checkTopLevelFields(sc: StateContext, rule: JsonObject, location: string): void {
  const d = sc.machine.diagnostics;
  if (requireFields(d, rule, ["Next"], location)) checkString(d, rule, "Next", location);
  checkString(d, rule, "Comment", location);
  if (has(rule, "Assign")) checkAssign(sc, rule.Assign as Json, fieldAt(location, "Assign"));
}

function checkJsonataRule(sc: StateContext, rule: JsonObject, location: string): void {
  const d = sc.machine.diagnostics;
  const allowed = ["Condition", "Next", "Comment", "Assign", "Output"];
  for (const field of Object.keys(rule)) {
    if (allowed.includes(field)) continue;
    const jsonPathOnly = field === "Variable" || OPERATORS.has(field) || COMBINATORS.includes(field);
    d.schema(
      jsonPathOnly
        ? `The field '${field}' is not supported in JSONata choice rules (use 'Condition')`
        : `Field '${field}' is not supported in choice rules`,
      fieldAt(location, field),
    );
  }
  checkTopLevelFields(sc, rule, location);
  if (requireFields(d, rule, ["Condition"], location)) {
    const condition = rule.Condition;
    const at = fieldAt(location, "Condition");
    if (isJsonataExpression(condition)) checkJsonata(d, condition, "Condition", at);
    else if (typeof condition !== "boolean") d.schema("The value for the field 'Condition' must be a BOOLEAN or a JSONata expression", at);
  }
  if (has(rule, "Output")) checkJsonataTemplate(d, rule.Output as Json, "Output", fieldAt(location, "Output"));
}

function checkJsonPathRule(sc: StateContext, rule: JsonObject, location: string, depth: number): void {
  const d = sc.machine.diagnostics;
  if (depth > sc.machine.maxNestingDepth) {
    d.error(DiagnosticCode.TooDeeplyNested, `Choice rules are nested deeper than ${sc.machine.maxNestingDepth} levels`, location);
    return;
  }
  const top = depth === 0;
  const ruleFields = top ? ["Next", "Comment", "Assign"] : ["Comment"];
  for (const field of Object.keys(rule)) {
    if (ruleFields.includes(field) || field === "Variable" || OPERATORS.has(field) || COMBINATORS.includes(field)) continue;
    const message =
      field === "Next" || field === "Assign"
        ? `Field '${field}' is only allowed in top-level choice rules`
        : field === "Condition" || field === "Output"
          ? `The field '${field}' is not supported in JSONPath choice rules`
          : `Field '${field}' is not supported in choice rules`;
    d.schema(message, fieldAt(location, field));
  }
  if (top) checkTopLevelFields(sc, rule, location);
  else checkString(d, rule, "Comment", location);

  const tests = Object.keys(rule).filter((f) => OPERATORS.has(f) || COMBINATORS.includes(f));
  if (tests.length !== 1) {
    d.schema(
      tests.length === 0
        ? "A choice rule must have a comparison operator or one of And, Or, Not"
        : `A choice rule must have exactly one comparison operator or one of And, Or, Not, not [${tests.join(", ")}]`,
      location,
    );
    return;
  }
  const test = tests[0] as string;
  const at = fieldAt(location, test);
  if (COMBINATORS.includes(test)) {
    if (has(rule, "Variable")) d.schema(`Field 'Variable' is not allowed beside '${test}'`, fieldAt(location, "Variable"));
    checkCombinator(sc, test, rule[test] as Json, at, depth);
    return;
  }
  if (requireFields(d, rule, ["Variable"], location)) checkPath(d, rule.Variable, "Variable", fieldAt(location, "Variable"));
  const kind = CHOICE_OPERATOR_SPECS[test]?.operand ?? "path";
  if (kind === "path") checkPath(d, rule[test], test, at);
  else if (!operandFits(rule[test], kind)) {
    d.schema(`The value for the field '${test}' must be a ${kind === "timestamp" ? "STRING" : kind.toUpperCase()}`, at);
  }
}

function checkCombinator(sc: StateContext, combinator: string, operand: Json, location: string, depth: number): void {
  const d = sc.machine.diagnostics;
  if (combinator === "Not") {
    if (isJsonObject(operand)) checkJsonPathRule(sc, operand, location, depth + 1);
    else d.schema("The value for the field 'Not' must be an OBJECT (a choice rule)", location);
    return;
  }
  if (!Array.isArray(operand) || operand.length === 0) {
    d.schema(`The value for the field '${combinator}' must be a non-empty ARRAY of choice rules`, location);
    return;
  }
  operand.forEach((nested, i) => {
    const nestedAt = indexAt(location, i);
    if (isJsonObject(nested)) checkJsonPathRule(sc, nested, nestedAt, depth + 1);
    else d.schema("A choice rule must be an OBJECT", nestedAt);
  });
}
