/**
 * Fields whose value is either written out or computed: in JSONPath a sibling `...Path` field reads it
 * from the input; in JSONata the field itself may hold a `{% %}` expression.
 */
import type { JsonObject } from "../json.ts";
import type { StateContext } from "./context.ts";
import { DiagnosticCode, fieldAt } from "./diagnostics.ts";
import { checkJsonata, checkPathOrIntrinsic, checkReferencePath, isJsonataExpression } from "./expressions.ts";
import { atMostOne, describeRange, has, inRange, isInteger, type Range } from "./field-values.ts";

type Kind = "INTEGER" | "NUMBER";

function fits(value: unknown, kind: Kind, range: Range): boolean {
  const typed = kind === "INTEGER" ? isInteger(value) : typeof value === "number" && Number.isFinite(value);
  return typed && inRange(value as number, range);
}

function checkNumeric(
  sc: StateContext,
  object: JsonObject,
  location: string,
  field: string,
  pathField: string | null,
  kind: Kind,
  range: Range,
): void {
  const d = sc.machine.diagnostics;
  if (pathField) atMostOne(d, object, [field, pathField], location);
  if (has(object, field)) {
    const value = object[field];
    const at = fieldAt(location, field);
    if (sc.language === "JSONata" && isJsonataExpression(value)) checkJsonata(d, value, field, at);
    else if (!fits(value, kind, range)) {
      const orExpression = sc.language === "JSONata" ? " or a JSONata expression" : "";
      d.schema(
        `The value for the field '${field}' must be a${kind === "INTEGER" ? "n" : ""} ${kind}${describeRange(range)}${orExpression}`,
        at,
      );
    }
  }
  if (pathField && has(object, pathField)) checkReferencePath(d, object[pathField], pathField, fieldAt(location, pathField));
}

export function checkIntegerField(
  sc: StateContext,
  object: JsonObject,
  location: string,
  field: string,
  pathField: string | null,
  range: Range,
): void {
  checkNumeric(sc, object, location, field, pathField, "INTEGER", range);
}

export function checkNumberField(
  sc: StateContext,
  object: JsonObject,
  location: string,
  field: string,
  pathField: string | null,
  range: Range,
): void {
  checkNumeric(sc, object, location, field, pathField, "NUMBER", range);
}

export type StringPathKind = "reference" | "pathOrIntrinsic";

/** A string field (Fail `Error`/`Cause`, Wait `Timestamp`) with its `...Path` twin. */
export function checkStringField(
  sc: StateContext,
  object: JsonObject,
  location: string,
  field: string,
  pathField: string | null,
  pathKind: StringPathKind,
): void {
  const d = sc.machine.diagnostics;
  if (pathField) atMostOne(d, object, [field, pathField], location);
  if (has(object, field)) {
    const value = object[field];
    const at = fieldAt(location, field);
    if (typeof value !== "string") d.schema(`The value for the field '${field}' must be a STRING`, at);
    else if (sc.language === "JSONata" && isJsonataExpression(value)) checkJsonata(d, value, field, at);
    else if (sc.language === "JSONPath" && (value === "$" || value.startsWith("$.") || value.startsWith("$$."))) {
      d.warning(
        DiagnosticCode.NoPath,
        `The value for the field '${field}' looks like a path, but the field name does not end with 'Path'`,
        at,
      );
    }
  }
  if (pathField && has(object, pathField)) {
    const at = fieldAt(location, pathField);
    if (pathKind === "reference") checkReferencePath(d, object[pathField], pathField, at);
    else checkPathOrIntrinsic(d, object[pathField], pathField, at);
  }
}
