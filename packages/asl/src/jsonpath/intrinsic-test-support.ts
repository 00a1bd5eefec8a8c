/**
 * Test support for the intrinsic tests: a small path reader (`$`, `$.a.b`, `$.a[0]`, `$$.X.Y`,
 * `$name.x`) standing in for the JSONPath evaluator, a scope builder and evaluation shorthands.
 */
import { expect } from "vitest";
import { runtimeError, StatesError } from "../errors.ts";
import type { EvaluationScope } from "../evaluation-scope.ts";
import { isJsonObject, type Json, type JsonObject } from "../json.ts";
import { evaluateIntrinsic, parseIntrinsic } from "./intrinsics.ts";

export function readTestPath(path: string, data: Json, scope: EvaluationScope): Json {
  const match = /^(\$\$|\$[A-Za-z_][A-Za-z0-9_]*|\$)((?:\.[A-Za-z0-9_]+|\[\d+\])*)$/.exec(path);
  if (!match) throw new Error(`test reader cannot read '${path}'`);
  const [, root = "", rest = ""] = match;
  let value: Json | undefined = root === "$" ? data : root === "$$" ? scope.context : scope.variables[root.slice(1)];
  for (const [, key, index] of rest.matchAll(/\.([A-Za-z0-9_]+)|\[(\d+)\]/g)) {
    if (key !== undefined) value = isJsonObject(value) ? value[key] : undefined;
    else value = Array.isArray(value) ? value[Number(index)] : undefined;
  }
  if (value === undefined) throw runtimeError(`The JSONPath '${path}' could not be found in the input '${JSON.stringify(data)}'`);
  return value;
}

export function testScope(options: { input?: Json; variables?: Record<string, Json>; random?: () => number } = {}): EvaluationScope {
  const context: JsonObject = { Execution: { Id: "arn:aws:states:us-east-1:123456789012:execution:m:e", Input: options.input ?? {} } };
  return { context, variables: options.variables ?? {}, random: options.random ?? (() => 0.5) };
}

/** Evaluates `expr` against `input` with the test reader and scope. */
export function run(expr: string, input: Json = {}, options: Parameters<typeof testScope>[0] = {}): Json {
  return evaluateIntrinsic(expr, input, testScope({ input, ...options }), readTestPath);
}

/** The StatesError `action` throws (fails the test when it throws anything else or nothing). */
export function failureOf(action: () => unknown): StatesError {
  try {
    action();
  } catch (error) {
    if (error instanceof StatesError) return error;
    throw error;
  }
  throw new Error("expected a StatesError, but nothing was thrown");
}

/** Asserts that `expr` fails the way AWS fails a call whose arguments do not fit its outermost function. */
export function expectInvalidArguments(expr: string, input: Json = {}): void {
  const error = failureOf(() => run(expr, input));
  expect([error.error, error.causeText]).toEqual(["States.Runtime", `Invalid arguments in ${parseIntrinsic(expr).name}`]);
}
