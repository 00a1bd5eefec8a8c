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
import { RunawayEvaluation } from "./guard.ts";

/** The value, or something inside it, has no JSON form. */
export class UnsupportedResult extends Error {
  override readonly name = "UnsupportedResult";
}

/**
 * What copying one result may cost. JSONata hands back results by reference, so `[1..100000].($states.input)`
 * is cheap to evaluate yet names 100,000 copies of the input: copying or serialising it would hold the
 * process for minutes. No result beyond these bounds could be passed on anyway (a state's payload is at
 * most 256 KB, some 130,000 nodes).
 */
export const MAX_RESULT_NODES = 2_000_000;
export const MAX_RESULT_STRING_BYTES = 16 * 1024 * 1024;

export function toJsonResult(value: unknown): Json {
  return copy(value, { nodes: 0, stringBytes: 0 });
}

interface Spent {
  nodes: number;
  stringBytes: number;
}

function copy(value: unknown, spent: Spent): Json {
  if (++spent.nodes > MAX_RESULT_NODES) throw new RunawayEvaluation("memory");
  switch (typeof value) {
    case "string":
      spent.stringBytes += value.length;
      if (spent.stringBytes > MAX_RESULT_STRING_BYTES) throw new RunawayEvaluation("memory");
      return value;
    case "boolean":
      return value;
    case "number":
      return jsonNumber(value);
    case "object":
      if (value === null) return null;
      if (Array.isArray(value)) return value.filter((item) => item !== undefined).map((item) => copy(item, spent));
      if (isJsonataFunction(value)) throw new UnsupportedResult();
      return copyObject(value, spent);
    default:
      throw new UnsupportedResult();
  }
}

function copyObject(value: object, spent: Spent): JsonObject {
  const result: JsonObject = {};
  for (const [key, member] of Object.entries(value)) {
    if (member !== undefined) setJsonProperty(result, key, copy(member, spent));
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
