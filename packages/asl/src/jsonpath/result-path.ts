/**
 * ResultPath: where a state's result goes in its input. Only the objects and arrays along the path are
 * copied; the input itself is never mutated and everything off the path stays shared.
 */
import { runtimeError, StatesError, StatesErrorName } from "../errors.ts";
import { isJsonObject, type Json } from "../json.ts";
import type { PathSegment } from "./path-ast.ts";
import { compiledPath } from "./path-cache.ts";
import { JsonPathSyntaxError } from "./path-cursor.ts";

/**
 * `undefined` or `$`: the result replaces the input; `null`: the input passes through; a reference path:
 * a copy of the input with the result placed there, creating missing objects on the way.
 */
export function applyResultPath(stateInput: Json, resultPath: string | null | undefined, result: Json): Json {
  if (resultPath === undefined || resultPath === "$") return result;
  if (resultPath === null) return stateInput;
  const placed = place(stateInput, referenceSegments(resultPath), 0, result);
  if (placed === undefined) {
    throw new StatesError(
      StatesErrorName.ResultPathMatchFailure,
      `Unable to apply ReferencePath ${resultPath} to input ${JSON.stringify(stateInput)}`,
    );
  }
  return placed;
}

function referenceSegments(resultPath: string): readonly PathSegment[] {
  const path = compiledPath(resultPath);
  if (path instanceof JsonPathSyntaxError || path.root.kind !== "input" || !path.reference) {
    throw runtimeError(`Invalid path '${resultPath}' : ResultPath must be a reference path on the state input`);
  }
  return path.segments;
}

/** `node` with `value` at `segments[i…]`, or `undefined` when a node on the way cannot hold it. */
function place(node: Json | undefined, segments: readonly PathSegment[], i: number, value: Json): Json | undefined {
  if (i === segments.length) return value;
  const segment = segments[i] as PathSegment;
  if (segment.kind === "property") {
    const name = segment.names[0] as string;
    if (node === undefined) {
      const created = place(undefined, segments, i + 1, value);
      return created === undefined ? undefined : { [name]: created };
    }
    if (!isJsonObject(node)) return undefined;
    const child = place(Object.hasOwn(node, name) ? node[name] : undefined, segments, i + 1, value);
    return child === undefined ? undefined : { ...node, [name]: child };
  }
  if (segment.kind === "index" && Array.isArray(node)) {
    const index = segment.indexes[0] as number;
    const effective = index < 0 ? node.length + index : index;
    if (effective < 0 || effective >= node.length) return undefined;
    const child = place(node[effective], segments, i + 1, value);
    if (child === undefined) return undefined;
    const copy = node.slice();
    copy[effective] = child;
    return copy;
  }
  return undefined;
}
