/**
 * JSONPath as AWS Step Functions evaluates it: `$…` reads the state data, `$$…` the context object and
 * `$name…` a variable. A definite path yields its single value, an indefinite one (wildcard, filter, slice,
 * union, `..`) the array of its matches. Paths are compiled once and cached by their text.
 */
import { runtimeError } from "../errors.ts";
import type { EvaluationScope } from "../evaluation-scope.ts";
import type { Json } from "../json.ts";
import type { CompiledPath } from "./path-ast.ts";
import { PathBudget } from "./path-budget.ts";
import { compiledPath as compiled } from "./path-cache.ts";
import { JsonPathSyntaxError } from "./path-cursor.ts";
import { PathEvaluationError } from "./path-errors.ts";
import { noResults, selectAll, selectReference } from "./path-walker.ts";

export type { CompiledPath, PathRoot } from "./path-ast.ts";
export { applyResultPath } from "./result-path.ts";

/** The compiled form of `path`; throws `JsonPathSyntaxError` when it is not a valid path. */
export function compilePath(path: string): CompiledPath {
  const entry = compiled(path);
  if (entry instanceof JsonPathSyntaxError) throw entry;
  return entry;
}

/** Any valid JSONPath, including `$$…` and `$variable…` forms. */
export function isPath(path: string): boolean {
  return !(compiled(path) instanceof JsonPathSyntaxError);
}

/** A path that selects exactly one node using only names and indices, as ResultPath and Choice `Variable` require. */
export function isReferencePath(path: string): boolean {
  const entry = compiled(path);
  return !(entry instanceof JsonPathSyntaxError) && entry.reference;
}

/** Reads `path`; a definite path that matches nothing fails the state with AWS's States.Runtime cause. */
export function readPath(path: string, data: Json, scope: EvaluationScope): Json {
  const entry = compiled(path);
  if (entry instanceof JsonPathSyntaxError) throw runtimeError(`Invalid path '${path}' : ${entry.message}`);
  const root = rootValue(entry, data, scope);
  if (root === undefined) {
    const name = entry.root.kind === "variable" ? entry.root.name : "";
    throw runtimeError(`Invalid path '${path}' : No such variable '${name}' in scope`);
  }
  try {
    if (entry.reference) return selectReference(entry, root, true) as Json;
    const matches = selectAll(entry, root, root, true, budgetOf(scope));
    if (!entry.definite) return matches;
    if (matches.length === 0) throw noResults(entry);
    return matches[0] as Json;
  } catch (error) {
    throw asRuntimeError(path, error);
  }
}

/** Like `readPath`, but `undefined` where `readPath` would fail (what Choice `IsPresent` needs). */
export function findPath(path: string, data: Json, scope: EvaluationScope): Json | undefined {
  const entry = compiled(path);
  if (entry instanceof JsonPathSyntaxError) throw runtimeError(`Invalid path '${path}' : ${entry.message}`);
  const root = rootValue(entry, data, scope);
  if (root === undefined) return undefined;
  if (entry.reference) return selectReference(entry, root, false);
  try {
    const matches = selectAll(entry, root, root, false, budgetOf(scope));
    return entry.definite ? matches[0] : matches;
  } catch (error) {
    throw asRuntimeError(path, error);
  }
}

/** The scope's shared budget where it has one (a state's evaluation phase), else one for this path alone. */
function budgetOf(scope: EvaluationScope): PathBudget {
  return scope.pathBudget ?? new PathBudget();
}

/**
 * Jayway's errors and the budget's become AWS's States.Runtime. So does data nested deeper than the walk's
 * stack: V8 raises RangeError for it, which would otherwise escape as an internal error.
 */
function asRuntimeError(path: string, error: unknown): unknown {
  if (error instanceof PathEvaluationError) return runtimeError(`Invalid path '${path}' : ${error.message}`);
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return runtimeError(`Invalid path '${path}' : Path evaluation exceeded its budget: the data is nested too deeply`);
  }
  return error;
}

function rootValue(path: CompiledPath, data: Json, scope: EvaluationScope): Json | undefined {
  switch (path.root.kind) {
    case "input":
      return data;
    case "context":
      return scope.context;
    case "variable":
      return Object.hasOwn(scope.variables, path.root.name) ? scope.variables[path.root.name] : undefined;
  }
}
