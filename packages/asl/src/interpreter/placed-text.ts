/**
 * The JSON text of a state's output without serialising it all again, where that is cheap and exact:
 * `ResultPath: "$.name"` on an object input that has no member `name` copies the input and adds that
 * member last (see applyResultPath), so the output's text is the input's text with one more member.
 * That is the most common ResultPath, and the input's text is at hand: its StateEntered event has it.
 */
import { isJsonObject, type Json, type JsonObject } from "../json.ts";
import { compiledPath } from "../jsonpath/path-cache.ts";
import { JsonPathSyntaxError } from "../jsonpath/path-cursor.ts";

/** `undefined` where the shortcut does not apply and the output has to be serialised. */
export function placedText(input: Json, inputText: string, resultPath: string | null | undefined, result: Json): string | undefined {
  if (typeof resultPath !== "string" || !isPlainObject(input)) return undefined;
  const name = appendedMember(resultPath);
  if (name === undefined || Object.hasOwn(input, name)) return undefined;
  // Typed `string`, but a value that is not JSON (undefined, a function) would give undefined.
  const resultText: string | undefined = JSON.stringify(result);
  if (resultText === undefined) return undefined;
  const member = `${JSON.stringify(name)}:${resultText}`;
  return inputText === "{}" ? `{${member}}` : `${inputText.slice(0, -1)},${member}}`;
}

/**
 * The member a ResultPath adds at the top level, if that is all it does. Names that look like array
 * indices are left out: JavaScript orders such keys first, not last.
 */
function appendedMember(resultPath: string): string | undefined {
  const path = compiledPath(resultPath);
  if (path instanceof JsonPathSyntaxError || path.root.kind !== "input" || !path.reference) return undefined;
  const [segment, ...rest] = path.segments;
  if (segment?.kind !== "property" || rest.length > 0 || segment.names.length !== 1) return undefined;
  const name = segment.names[0] as string;
  return /^\d+$/.test(name) ? undefined : name;
}

/**
 * Only objects that JSON.stringify and the spread in applyResultPath see the same way: state data from
 * JSON text always is, but a Task handler may hand back anything.
 */
function isPlainObject(value: Json): value is JsonObject {
  if (!isJsonObject(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && typeof (value as { toJSON?: unknown }).toJSON !== "function";
}
