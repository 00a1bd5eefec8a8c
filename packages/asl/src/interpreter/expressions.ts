/**
 * The one doorway from the interpreter to the two query languages, so state handlers never care which
 * module evaluates what.
 */
import type { EvaluationScope } from "../evaluation-scope.ts";
import type { Json, JsonObject } from "../json.ts";
import { evaluateAssign, evaluateJsonataTemplate, type JsonataStates } from "../jsonata/index.ts";
import { evaluateIntrinsic } from "../jsonpath/intrinsics.ts";
import { applyResultPath, readPath } from "../jsonpath/path.ts";
import { resolvePayloadTemplate } from "../jsonpath/payload-template.ts";

export { applyResultPath, readPath };

/** `InputPath` / `OutputPath`: absent means `$`, `null` means `{}`. */
export function selectPath(path: string | null | undefined, data: Json, scope: EvaluationScope): Json {
  if (path === undefined || path === "$") return data;
  if (path === null) return {};
  return readPath(path, data, scope);
}

/** A JSONPath payload template (`Parameters`, `ItemSelector`, `ResultSelector`, `Assign`). */
export function resolveTemplate(template: Json, data: Json, scope: EvaluationScope): Json {
  return resolvePayloadTemplate(template, data, scope, (expr) => evaluateIntrinsic(expr, data, scope, readPath));
}

/** A value that may be a path or an intrinsic call (Fail's ErrorPath/CausePath). */
export function evaluatePathOrIntrinsic(expr: string, data: Json, scope: EvaluationScope): Json {
  return expr.startsWith("States.") ? evaluateIntrinsic(expr, data, scope, readPath) : readPath(expr, data, scope);
}

export function jsonata(template: Json, states: JsonataStates, scope: EvaluationScope, now: Date, field: string): Promise<Json> {
  return evaluateJsonataTemplate(
    template,
    { states, variables: scope.variables, random: scope.random, now, limits: scope.jsonataLimits },
    field,
  );
}

export function jsonataAssign(
  assign: JsonObject,
  states: JsonataStates,
  scope: EvaluationScope,
  now: Date,
  field = "Assign",
): Promise<Record<string, Json>> {
  return evaluateAssign(assign, { states, variables: scope.variables, random: scope.random, now, limits: scope.jsonataLimits }, field);
}

/** JSONPath `Assign`: every value is resolved against the same data before any variable changes. */
export function jsonPathAssign(assign: JsonObject, data: Json, scope: EvaluationScope): Record<string, Json> {
  return resolveTemplate(assign, data, scope) as Record<string, Json>;
}
