/**
 * What can be seen wrong in a parsed call without running it: argument counts, literal arguments of the
 * wrong type, malformed literal States.Format templates, unsupported literal hash algorithms, a literal
 * `true` deep-merge flag. AWS accepts such definitions and fails at run time with
 * `Invalid arguments in States.X`, so these are warnings for the validator, not syntax errors.
 */
import { arityProblem, expectedType, matchesType } from "./intrinsic-arguments.ts";
import { INTRINSIC_FUNCTIONS } from "./intrinsic-functions.ts";
import { isSupportedHashAlgorithm } from "./intrinsic-functions-encoding.ts";
import { splitFormatTemplate } from "./intrinsic-functions-string.ts";
import type { IntrinsicArgument, IntrinsicCall } from "./intrinsic-parser.ts";

export function checkIntrinsicCall(call: IntrinsicCall): string[] {
  const problems: string[] = [];
  const spec = INTRINSIC_FUNCTIONS[call.name];
  const arity = arityProblem(spec, call.args.length);
  if (arity !== null) problems.push(`${call.name} takes ${arity} argument(s) but is given ${call.args.length}.`);
  call.args.forEach((arg, i) => {
    if (arg.kind === "call") problems.push(...checkIntrinsicCall(arg));
    const type = expectedType(spec, i);
    if (arg.kind === "literal" && !matchesType(arg.value, type)) {
      problems.push(`Argument ${i + 1} of ${call.name} must be ${article(type)}, not ${JSON.stringify(arg.value)}.`);
    }
  });
  problems.push(...functionSpecificProblems(call));
  return problems;
}

function functionSpecificProblems(call: IntrinsicCall): string[] {
  const [first, second, third] = call.args;
  switch (call.name) {
    case "States.Format": {
      if (first?.kind !== "literal" || first.raw === undefined) return [];
      const pieces = splitFormatTemplate(first.raw);
      if (pieces === null) return ["The States.Format template has a brace that is not part of '{}' or an unknown escape."];
      const placeholders = pieces.length - 1;
      const values = call.args.length - 1;
      return placeholders === values
        ? []
        : [`The States.Format template has ${placeholders} '{}' placeholder(s) but ${values} value argument(s).`];
    }
    case "States.Hash":
      return isLiteralString(second) && !isSupportedHashAlgorithm(second.value)
        ? [`States.Hash does not support the algorithm '${second.value}' (use MD5, SHA-1, SHA-256, SHA-384 or SHA-512).`]
        : [];
    case "States.JsonMerge":
      return third?.kind === "literal" && third.value === true
        ? ["States.JsonMerge supports only a shallow merge: its third argument must be false."]
        : [];
    default:
      return [];
  }
}

function isLiteralString(arg: IntrinsicArgument | undefined): arg is IntrinsicArgument & { kind: "literal"; value: string } {
  return arg?.kind === "literal" && typeof arg.value === "string";
}

function article(type: string): string {
  return type === "array" || type === "object" ? `an ${type}` : `a ${type}`;
}
