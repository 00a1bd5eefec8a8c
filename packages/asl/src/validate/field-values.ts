/**
 * Type and range checks of single fields. Each takes the object holding the field and that object's
 * location, reports at the field's own location, and says whether the value passed (absent passes).
 */
import { isJsonObject, type JsonObject } from "../json.ts";
import { type DiagnosticList, fieldAt } from "./diagnostics.ts";

export interface Range {
  min?: number;
  max?: number;
}

export function has(object: JsonObject, field: string): boolean {
  return Object.hasOwn(object, field);
}

export function isInteger(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value);
}

export function describeRange(range: Range): string {
  if (range.min !== undefined && range.max !== undefined) return ` between ${range.min} and ${range.max}`;
  if (range.min !== undefined) return ` greater than or equal to ${range.min}`;
  if (range.max !== undefined) return ` less than or equal to ${range.max}`;
  return "";
}

export function inRange(value: number, range: Range): boolean {
  return (range.min === undefined || value >= range.min) && (range.max === undefined || value <= range.max);
}

export function requireFields(d: DiagnosticList, object: JsonObject, fields: readonly string[], location: string): boolean {
  const missing = fields.filter((f) => !has(object, f));
  if (missing.length > 0) d.schema(`These fields are required: [${missing.join(", ")}]`, location);
  return missing.length === 0;
}

/** At most one of `fields` may be present. */
export function atMostOne(d: DiagnosticList, object: JsonObject, fields: readonly string[], location: string): boolean {
  const present = fields.filter((f) => has(object, f));
  if (present.length > 1) d.schema(`Only one of these fields may be set: [${present.join(", ")}]`, location);
  return present.length <= 1;
}

export function exactlyOne(d: DiagnosticList, object: JsonObject, fields: readonly string[], location: string): boolean {
  const present = fields.filter((f) => has(object, f));
  if (present.length === 1) return true;
  d.schema(`Exactly one of these fields must be set: [${fields.join(", ")}]`, location);
  return false;
}

export function checkString(d: DiagnosticList, object: JsonObject, field: string, location: string): boolean {
  if (!has(object, field) || typeof object[field] === "string") return true;
  d.schema(`The value for the field '${field}' must be a STRING`, fieldAt(location, field));
  return false;
}

export function checkBoolean(d: DiagnosticList, object: JsonObject, field: string, location: string): boolean {
  if (!has(object, field) || typeof object[field] === "boolean") return true;
  d.schema(`The value for the field '${field}' must be a BOOLEAN`, fieldAt(location, field));
  return false;
}

export function checkObject(d: DiagnosticList, object: JsonObject, field: string, location: string): boolean {
  if (!has(object, field) || isJsonObject(object[field])) return true;
  d.schema(`The value for the field '${field}' must be an OBJECT`, fieldAt(location, field));
  return false;
}

export function checkInteger(d: DiagnosticList, object: JsonObject, field: string, location: string, range: Range): boolean {
  if (!has(object, field)) return true;
  const value = object[field];
  if (isInteger(value) && inRange(value, range)) return true;
  d.schema(`The value for the field '${field}' must be an INTEGER${describeRange(range)}`, fieldAt(location, field));
  return false;
}

export function checkNumber(d: DiagnosticList, object: JsonObject, field: string, location: string, range: Range): boolean {
  if (!has(object, field)) return true;
  const value = object[field];
  if (typeof value === "number" && Number.isFinite(value) && inRange(value, range)) return true;
  d.schema(`The value for the field '${field}' must be a NUMBER${describeRange(range)}`, fieldAt(location, field));
  return false;
}

export function checkEnum(d: DiagnosticList, object: JsonObject, field: string, location: string, allowed: readonly string[]): boolean {
  if (!has(object, field)) return true;
  const value = object[field];
  if (typeof value === "string" && allowed.includes(value)) return true;
  d.schema(`The value for the field '${field}' must be one of [${allowed.join(", ")}]`, fieldAt(location, field));
  return false;
}

/** Fields of an object not in `allowed` (for objects whose fields do not depend on the query language). */
export function checkKnownFields(d: DiagnosticList, object: JsonObject, allowed: readonly string[], location: string): void {
  for (const field of Object.keys(object)) {
    if (!allowed.includes(field)) d.schema(`Field '${field}' is not supported`, fieldAt(location, field));
  }
}
