/**
 * JSONPath payload templates (`Parameters`, `ItemSelector`, `ResultSelector`, JSONPath `Assign`): a key
 * ending in `.$` takes its value from a path (`$…`, `$$…`, `$var…`) or an intrinsic function call
 * (`States.…`) and loses the `.$`; every other value is literal. A template is compiled once per
 * definition object, and literal subtrees are returned as they are (shared, never copied).
 */
import { runtimeError } from "../errors.ts";
import type { EvaluationScope } from "../evaluation-scope.ts";
import type { Json, JsonObject } from "../json.ts";
import { findPath } from "./path.ts";

type TemplateNode =
  | { kind: "literal"; value: Json }
  | { kind: "object"; entries: ReadonlyArray<readonly [string, TemplateNode]> }
  | { kind: "array"; items: readonly TemplateNode[] }
  | { kind: "path"; field: string; path: string }
  | { kind: "intrinsic"; expression: string };

const compiledTemplates = new WeakMap<object, TemplateNode>();

/** A key whose value is evaluated: it ends in `.$` (and is more than just `.$`). */
export function isPayloadTemplateKey(key: string): boolean {
  return key.length > 2 && key.endsWith(".$");
}

/**
 * The keys of one template object that name the same field once `.$` is stripped (`"X"` and `"X.$"`):
 * the ASL spec forbids it ("A JSON object MUST NOT have duplicate field names after fields ending with
 * the characters ".$" are renamed"), and which of the two would win is exactly what a reader of the
 * definition cannot tell. Each conflict is reported by its `.$` key.
 */
export function conflictingTemplateKeys(template: JsonObject): string[] {
  return Object.keys(template).filter((key) => isPayloadTemplateKey(key) && Object.hasOwn(template, key.slice(0, -2)));
}

export function resolvePayloadTemplate(
  template: Json,
  data: Json,
  scope: EvaluationScope,
  evaluateIntrinsic: (expression: string) => Json,
): Json {
  return resolve(compile(template), data, scope, evaluateIntrinsic);
}

function compile(template: Json): TemplateNode {
  if (template === null || typeof template !== "object") return { kind: "literal", value: template };
  let node = compiledTemplates.get(template);
  if (node === undefined) {
    node = Array.isArray(template) ? compileArray(template) : compileObject(template);
    compiledTemplates.set(template, node);
  }
  return node;
}

function compileArray(template: Json[]): TemplateNode {
  const items = template.map(compile);
  return items.every((item) => item.kind === "literal") ? { kind: "literal", value: template } : { kind: "array", items };
}

function compileObject(template: JsonObject): TemplateNode {
  // Validation refuses such definitions; one stored before it did must not pick either value silently.
  const [conflict] = conflictingTemplateKeys(template);
  if (conflict !== undefined) throw runtimeError(duplicateFieldMessage(conflict));
  const entries: Array<readonly [string, TemplateNode]> = [];
  let dynamic = false;
  for (const [key, value] of Object.entries(template)) {
    if (isPayloadTemplateKey(key)) {
      dynamic = true;
      entries.push([key.slice(0, -2), compileBinding(key, value)]);
    } else {
      const node = compile(value);
      dynamic ||= node.kind !== "literal";
      entries.push([key, node]);
    }
  }
  return dynamic ? { kind: "object", entries } : { kind: "literal", value: template };
}

/** The one wording of the conflict, for validation and run time alike. */
export function duplicateFieldMessage(templateKey: string): string {
  const field = templateKey.slice(0, -2);
  return `The field '${field}' is given twice: as '${field}' and as '${templateKey}' (a payload template must not hold both)`;
}

function compileBinding(field: string, value: Json): TemplateNode {
  if (typeof value === "string") {
    if (value.startsWith("States.")) return { kind: "intrinsic", expression: value };
    if (value.startsWith("$")) return { kind: "path", field, path: value };
  }
  throw runtimeError(`The value for the field '${field}' must be a valid JSONPath or a valid intrinsic function call`);
}

function resolve(node: TemplateNode, data: Json, scope: EvaluationScope, evaluateIntrinsic: (expression: string) => Json): Json {
  switch (node.kind) {
    case "literal":
      return node.value;
    case "array":
      return node.items.map((item) => resolve(item, data, scope, evaluateIntrinsic));
    case "object":
      // fromEntries defines own properties: a field named "__proto__" stays a field, not the prototype.
      return Object.fromEntries(node.entries.map(([key, child]) => [key, resolve(child, data, scope, evaluateIntrinsic)]));
    case "intrinsic":
      return evaluateIntrinsic(node.expression);
    case "path": {
      const value = findPath(node.path, data, scope);
      if (value === undefined) {
        const searched = node.path.startsWith("$$") ? scope.context : data;
        throw runtimeError(
          `The JSONPath '${node.path}' specified for the field '${node.field}' could not be found in the input '${JSON.stringify(searched)}'`,
        );
      }
      return value;
    }
  }
}
