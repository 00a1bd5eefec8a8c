/**
 * What each intrinsic function accepts, and the one failure AWS reports when a call does not fit:
 * `States.Runtime` with the cause `Invalid arguments in States.X` (AWS raises it at run time for wrong
 * argument counts, wrong types and out-of-range values alike, and States.ALL cannot catch it).
 */
import { runtimeError, type StatesError } from "../errors.ts";
import { isJsonObject, type Json } from "../json.ts";
import type { IntrinsicFunctionName } from "./intrinsic-parser.ts";

export type ArgumentType = "any" | "string" | "number" | "array" | "object";

export interface ArgumentSpec {
  /** Types of the positional parameters. */
  readonly params: readonly ArgumentType[];
  /** How many trailing parameters may be left out. */
  readonly optional?: number;
  /** Type of any arguments after the positional ones (only functions taking a variable count). */
  readonly rest?: ArgumentType;
}

export function invalidArguments(name: IntrinsicFunctionName): StatesError {
  return runtimeError(`Invalid arguments in ${name}`);
}

export function matchesType(value: Json, type: ArgumentType): boolean {
  switch (type) {
    case "any":
      return true;
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number";
    case "array":
      return Array.isArray(value);
    case "object":
      return isJsonObject(value);
  }
}

export function arityProblem(spec: ArgumentSpec, count: number): string | null {
  const max = spec.params.length;
  const min = max - (spec.optional ?? 0);
  if (count < min) return min === max && spec.rest === undefined ? `exactly ${max}` : `at least ${min}`;
  if (count > max && spec.rest === undefined) return min === max ? `exactly ${max}` : `at most ${max}`;
  return null;
}

export function expectedType(spec: ArgumentSpec, index: number): ArgumentType {
  return spec.params[index] ?? spec.rest ?? "any";
}

/** Throws AWS's invalid-arguments failure unless `args` fit `spec`. */
export function checkArguments(name: IntrinsicFunctionName, spec: ArgumentSpec, args: readonly Json[]): void {
  if (arityProblem(spec, args.length) !== null) throw invalidArguments(name);
  args.forEach((arg, i) => {
    if (!matchesType(arg, expectedType(spec, i))) throw invalidArguments(name);
  });
}

/**
 * AWS converts the numeric arguments of the array and random functions to integers by dropping the
 * fraction (`ArrayRange(1.6, 1.4, 1)` is `[1]`), unlike `States.MathAdd`, which rounds.
 */
export function truncatedInteger(name: IntrinsicFunctionName, value: Json): number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw invalidArguments(name);
  const integer = Math.trunc(value);
  return integer === 0 ? 0 : integer;
}
