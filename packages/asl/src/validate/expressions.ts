/**
 * Syntax of the expressions a definition embeds: JSONPath paths, intrinsic function calls, and JSONata
 * `{% %}` expressions. Only syntax: whether a path finds anything is a runtime matter.
 *
 * The parsers belong to `jsonpath/` and the `jsonata` package. They are called defensively because
 * the validator must never throw, whatever the definition holds.
 */
import jsonata from "jsonata";
import { StatesError } from "../errors.ts";
import { isJsonObject, type Json } from "../json.ts";
import { checkIntrinsicCall, isIntrinsicCall, parseIntrinsic } from "../jsonpath/intrinsics.ts";
import { compilePath, isPath, isReferencePath } from "../jsonpath/path.ts";
import { conflictingTemplateKeys, duplicateFieldMessage } from "../jsonpath/payload-template.ts";
import { DiagnosticCode, type DiagnosticList, fieldAt, indexAt } from "./diagnostics.ts";

const JSONATA_EXPRESSION = /^\{%([\s\S]*)%\}$/;

/** A string that Step Functions evaluates as JSONata in a JSONata state. */
export function isJsonataExpression(value: unknown): value is string {
  return typeof value === "string" && JSONATA_EXPRESSION.test(value);
}

function holds(test: () => boolean): boolean {
  try {
    return test();
  } catch {
    return false;
  }
}

/** The path parser's reason for refusing `value`, as a suffix for a message ("" when it has none). */
function pathReason(value: unknown): string {
  if (typeof value !== "string") return "";
  try {
    compilePath(value);
    return "";
  } catch (error) {
    return error instanceof Error && error.message ? `: ${error.message}` : "";
  }
}

function looksLikeIntrinsic(value: string): boolean {
  return holds(() => isIntrinsicCall(value));
}

/** Why `jsonata` rejects the body of a `{% %}` string, or null when it parses. */
export function jsonataSyntaxError(expression: string): string | null {
  const body = JSONATA_EXPRESSION.exec(expression)?.[1] ?? expression;
  try {
    jsonata(body);
    return null;
  } catch (error) {
    // jsonata throws plain objects ({ code, position, message }) as well as Errors.
    const { message, position } = (typeof error === "object" && error !== null ? error : {}) as { message?: unknown; position?: unknown };
    const text = typeof message === "string" ? message : String(error);
    return typeof position === "number" ? `${text} (at position ${position})` : text;
  }
}

export function checkJsonata(d: DiagnosticList, expression: string, field: string, location: string): boolean {
  const problem = jsonataSyntaxError(expression);
  if (problem === null) return true;
  d.schema(`The value for the field '${field}' must be a valid JSONata expression: ${problem}`, location);
  return false;
}

/** A Path (`$.a`, `$$.Execution.Id`, `$var.x`, filters allowed): InputPath, OutputPath, choice `Variable`... */
export function checkPath(d: DiagnosticList, value: unknown, field: string, location: string): boolean {
  if (typeof value === "string" && holds(() => isPath(value))) return true;
  d.schema(`The value for the field '${field}' must be a valid JSONPath${pathReason(value)}`, location);
  return false;
}

/** A Reference Path (a single node, no filters): the `...Path` fields that read one value. */
export function checkReferencePath(d: DiagnosticList, value: unknown, field: string, location: string): boolean {
  if (typeof value === "string" && holds(() => isReferencePath(value))) return true;
  d.schema(`The value for the field '${field}' must be a valid ReferencePath${pathReason(value)}`, location);
  return false;
}

/** ResultPath writes into the state input, so it must be rooted at `$` (not `$$`, not a variable); null discards. */
export function checkResultPath(d: DiagnosticList, value: unknown, location: string): boolean {
  if (value === null) return true;
  const rootedAtInput = typeof value === "string" && (value === "$" || value.startsWith("$.") || value.startsWith("$["));
  if (rootedAtInput && holds(() => isReferencePath(value))) return true;
  d.schema(`The value for the field 'ResultPath' must be a valid ReferencePath rooted at '$'${pathReason(value)}`, location);
  return false;
}

/** ErrorPath, CausePath and `.$` template keys: a Path or an intrinsic function call. */
export function checkPathOrIntrinsic(d: DiagnosticList, value: unknown, field: string, location: string): boolean {
  if (typeof value !== "string") {
    d.schema(`The value for the field '${field}' must be a STRING that contains a JSONPath or an intrinsic function call`, location);
    return false;
  }
  if (looksLikeIntrinsic(value)) {
    try {
      for (const problem of checkIntrinsicCall(parseIntrinsic(value))) d.warning(DiagnosticCode.IntrinsicArguments, problem, location);
      return true;
    } catch (error) {
      const reason = error instanceof StatesError ? error.causeText : error instanceof Error ? error.message : null;
      const detail = reason ? `: ${reason}` : "";
      d.schema(`The value for the field '${field}' must be a valid intrinsic function call${detail}`, location);
      return false;
    }
  }
  if (holds(() => isPath(value))) return true;
  d.schema(`The value for the field '${field}' must be a valid JSONPath or a valid intrinsic function call${pathReason(value)}`, location);
  return false;
}

interface Pending {
  value: Json;
  location: string;
}

/**
 * A JSONPath payload template (Parameters, ItemSelector, ResultSelector, Assign, ...): every `key.$`
 * holds a path or an intrinsic call; a plain key whose string looks dynamic draws AWS's NO_DOLLAR warning.
 * Walked with an explicit stack: templates nest as deep as the JSON does.
 */
export function checkJsonPathTemplate(d: DiagnosticList, template: Json, location: string): void {
  const pending: Pending[] = [{ value: template, location }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, location: at } = next;
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        pending.push({ value: item, location: indexAt(at, i) });
      });
    } else if (isJsonObject(value)) {
      for (const key of conflictingTemplateKeys(value)) d.schema(duplicateFieldMessage(key), fieldAt(at, key));
      for (const [key, item] of Object.entries(value)) {
        const itemAt = fieldAt(at, key);
        if (key.endsWith(".$")) checkPathOrIntrinsic(d, item, key, itemAt);
        else if (typeof item === "string") warnIfDynamicLooking(d, key, item, itemAt);
        else pending.push({ value: item, location: itemAt });
      }
    }
  }
}

function warnIfDynamicLooking(d: DiagnosticList, key: string, value: string, location: string): void {
  if (value.startsWith("$.") || value.startsWith("$$.") || looksLikeIntrinsic(value)) {
    d.warning(
      DiagnosticCode.NoDollar,
      `The value for the field '${key}' looks like a JSONPath or an intrinsic function call, but the field name does not end with '.$'`,
      location,
    );
  }
}

/**
 * A JSONata template (Arguments, Output, Assign, Items, ItemSelector, ...): any string inside it,
 * at any depth, that is wrapped in `{% %}` must parse.
 */
export function checkJsonataTemplate(d: DiagnosticList, template: Json, field: string, location: string): void {
  const pending: (Pending & { field: string })[] = [{ value: template, location, field }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, location: at, field: name } = next;
    if (isJsonataExpression(value)) checkJsonata(d, value, name, at);
    else if (Array.isArray(value)) {
      value.forEach((item, i) => {
        pending.push({ value: item, location: indexAt(at, i), field: name });
      });
    } else if (isJsonObject(value)) {
      for (const [key, item] of Object.entries(value)) pending.push({ value: item, location: fieldAt(at, key), field: key });
    }
  }
}

/** Does a static value contain something that only a template would evaluate? (Pass `Result` is never evaluated.) */
export function looksDynamic(value: Json): boolean {
  const pending: Json[] = [value];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const item = next;
    if (Array.isArray(item)) {
      for (const element of item) pending.push(element);
    } else if (isJsonObject(item)) {
      for (const [key, inner] of Object.entries(item)) {
        if (key.endsWith(".$")) return true;
        pending.push(inner);
      }
    }
  }
  return false;
}
