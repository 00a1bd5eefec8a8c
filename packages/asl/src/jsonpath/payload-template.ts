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
    case "object": {
      const result: JsonObject = {};
      for (const [key, child] of node.entries) result[key] = resolve(child, data, scope, evaluateIntrinsic);
      return result;
    }
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
