/**
 * AWS Step Functions' intrinsic functions (`States.Format(...)` and the rest) for JSONPath states:
 * parse once, evaluate against a state's data and scope. Path arguments are read with the `readPath`
 * the caller passes in, so this module does not depend on the JSONPath evaluator.
 */
import { StatesError } from "../errors.ts";
import type { EvaluationScope } from "../evaluation-scope.ts";
import type { Json } from "../json.ts";
import { checkArguments } from "./intrinsic-arguments.ts";
import { INTRINSIC_FUNCTIONS } from "./intrinsic-functions.ts";
import { type IntrinsicArgument, type IntrinsicCall, parseIntrinsicCall } from "./intrinsic-parser.ts";

export type { IntrinsicArgument, IntrinsicCall, IntrinsicFunctionName, IntrinsicLiteral, IntrinsicPath } from "./intrinsic-parser.ts";
export { INTRINSIC_FUNCTION_NAMES } from "./intrinsic-parser.ts";
export { checkIntrinsicCall } from "./intrinsic-static-check.ts";

export type PathReader = (path: string, data: Json, scope: EvaluationScope) => Json;

/** Definitions hold a bounded set of expressions; the bound only guards against unbounded growth. */
const CACHE_LIMIT = 10_000;
const parsed = new Map<string, IntrinsicCall | StatesError>();

/** True for a string the interpreter should treat as an intrinsic call rather than a path. */
export function isIntrinsicCall(s: string): boolean {
  return s.startsWith("States.");
}

/** Parses (once per distinct string) or throws the `States.Runtime` StatesError describing the syntax error. */
export function parseIntrinsic(expr: string): IntrinsicCall {
  let entry = parsed.get(expr);
  if (entry === undefined) {
    try {
      entry = parseIntrinsicCall(expr);
    } catch (error) {
      if (!(error instanceof StatesError)) throw error;
      entry = error;
    }
    if (parsed.size >= CACHE_LIMIT) parsed.clear();
    parsed.set(expr, entry);
  }
  if (entry instanceof StatesError) throw entry;
  return entry;
}

export function evaluateIntrinsic(expr: string, data: Json, scope: EvaluationScope, readPath: PathReader): Json {
  return evaluateIntrinsicCall(parseIntrinsic(expr), data, scope, readPath);
}

export function evaluateIntrinsicCall(call: IntrinsicCall, data: Json, scope: EvaluationScope, readPath: PathReader): Json {
  const args = call.args.map((arg) => evaluateArgument(arg, data, scope, readPath));
  const fn = INTRINSIC_FUNCTIONS[call.name];
  checkArguments(call.name, fn, args);
  return fn.apply(args, call, scope);
}

function evaluateArgument(arg: IntrinsicArgument, data: Json, scope: EvaluationScope, readPath: PathReader): Json {
  switch (arg.kind) {
    case "literal":
      return arg.value;
    case "path":
      return readPath(arg.path, data, scope);
    case "call":
      return evaluateIntrinsicCall(arg, data, scope, readPath);
  }
}
