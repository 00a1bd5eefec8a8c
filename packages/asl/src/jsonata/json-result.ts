/**
 * What a JSONata evaluation hands back, turned into the JSON a state carries on.
 *
 * JSONata values are not all JSON. Functions (lambdas, built-ins, regular expressions) have no JSON
 * form: AWS refuses them as an unsupported result type. Non-finite numbers have no JSON literal either:
 * AWS writes them as the strings JavaScript names them by (`1/0` comes back as "Infinity"). Undefined
 * members vanish, as JSONata itself drops them from sequences and object constructors. JSONata's
 * sequences (arrays carrying extra flags) become plain arrays, and nothing shares structure with the
 * bindings the expression read.
 */
import type { Json, JsonObject } from "../json.ts";
import { setJsonProperty } from "../own-property.ts";

/** The value, or something inside it, has no JSON form. */
export class UnsupportedResult extends Error {
  override readonly name = "UnsupportedResult";
}

export function toJsonResult(value: unknown): Json {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return jsonNumber(value);
    case "object":
      if (value === null) return null;
      if (Array.isArray(value)) return value.filter((item) => item !== undefined).map(toJsonResult);
      if (isJsonataFunction(value)) throw new UnsupportedResult();
      return toJsonObject(value);
    default:
      throw new UnsupportedResult();
  }
}

function toJsonObject(value: object): JsonObject {
  const result: JsonObject = {};
  for (const [key, member] of Object.entries(value)) {
    if (member !== undefined) setJsonProperty(result, key, toJsonResult(member));
  }
  return result;
}

function jsonNumber(value: number): Json {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "Infinity";
  if (value === Number.NEGATIVE_INFINITY) return "-Infinity";
  // JSON has no negative zero: `$parse("-0")` is 0 on AWS.
  return value === 0 ? 0 : value;
}

function isJsonataFunction(value: object): boolean {
  const marks = value as { _jsonata_lambda?: unknown; _jsonata_function?: unknown };
  return marks._jsonata_lambda === true || marks._jsonata_function === true;
}
