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

/** What copying a result may cost: a size bound, and a clock to consult as the copy goes. */
export interface ResultMeter {
  readonly maxBytes: number;
  /** Throws once the evaluation's time is up. */
  tick(): void;
  /** Throws the error for a result over `maxBytes`. */
  tooLarge(): never;
}

const UNMETERED: ResultMeter = {
  maxBytes: Number.POSITIVE_INFINITY,
  tick: () => {},
  tooLarge: () => {
    throw new Error("an unmetered result cannot be too large");
  },
};

const TICK_EVERY = 4096;

/**
 * The JSON form of a result, copied. JSONata hands back results by reference: `[1..100].($states.input)`
 * is cheap to evaluate yet names the input a hundred times, and copying it (then serialising it) would be
 * the expensive part. So the copy estimates the JSON bytes it has produced and stops at the meter's bound.
 */
export function toJsonResult(value: unknown, meter: ResultMeter = UNMETERED): Json {
  return new ResultCopy(meter).copy(value);
}

class ResultCopy {
  private bytes = 0;
  private nodes = 0;
  constructor(private readonly meter: ResultMeter) {}

  copy(value: unknown, depth = 0): Json {
    // Serialising nested data costs time in proportion to depth: each node counts its depth too.
    this.count(1 + depth);
    switch (typeof value) {
      case "string":
        this.count(value.length + 2);
        return value;
      case "boolean":
        return value;
      case "number":
        return jsonNumber(value);
      case "object":
        if (value === null) return null;
        if (Array.isArray(value)) return value.filter((item) => item !== undefined).map((item) => this.copy(item, depth + 1));
        if (isJsonataFunction(value)) throw new UnsupportedResult();
        return this.copyObject(value, depth);
      default:
        throw new UnsupportedResult();
    }
  }

  private copyObject(value: object, depth: number): JsonObject {
    const result: JsonObject = {};
    for (const [key, member] of Object.entries(value)) {
      if (member === undefined) continue;
      this.count(key.length + 3);
      setJsonProperty(result, key, this.copy(member, depth + 1));
    }
    return result;
  }

  /** Adds to the estimate: a byte of punctuation per value, the text of strings and keys. */
  private count(bytes: number): void {
    this.bytes += bytes;
    if (this.bytes > this.meter.maxBytes) this.meter.tooLarge();
    if (++this.nodes % TICK_EVERY === 0) this.meter.tick();
  }
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
