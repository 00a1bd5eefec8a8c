/**
 * Parts of AWS's language that Stepwise accepts (published definitions use them) but does not execute.
 * The validator warns where a definition uses one, and a run fails when it enters such a state, with a
 * cause naming the field: never a result computed without it. Remove an entry here once it runs.
 */
import { isJsonObject, type JsonObject } from "./json.ts";

interface NotExecuted {
  type: string;
  /** Where the field is, from the state: `ItemReader/ReaderConfig/ManifestType`. */
  path: readonly string[];
  /** The value Stepwise does not execute; any value when absent. */
  value?: string;
}

const NOT_EXECUTED: readonly NotExecuted[] = [
  // Athena's UNLOAD manifests: the object store reads S3 Inventory manifests only.
  { type: "Map", path: ["ItemReader", "ReaderConfig", "ManifestType"], value: "ATHENA_DATA" },
];

/** The fields of `state` that Stepwise does not execute, as paths from the state (`ItemReader/ReaderConfig/ManifestType`). */
export function unexecutedFields(state: JsonObject): string[] {
  const found: string[] = [];
  for (const entry of NOT_EXECUTED) {
    if (entry.type !== state.Type) continue;
    const value = valueAt(state, entry.path);
    if (value === undefined || (entry.value !== undefined && value !== entry.value)) continue;
    found.push(entry.path.join("/"));
  }
  return found;
}

export function unexecutedFieldMessage(stateName: string, field: string, state: JsonObject): string {
  const entry = NOT_EXECUTED.find((e) => e.path.join("/") === field && e.type === state.Type);
  const what = entry?.value !== undefined ? `'${field.replaceAll("/", ".")}: ${entry.value}'` : `'${field.replaceAll("/", ".")}'`;
  return `The state '${stateName}' uses ${what}, which Stepwise does not execute yet`;
}

function valueAt(state: JsonObject, path: readonly string[]): unknown {
  let at: unknown = state;
  for (const key of path) {
    if (!isJsonObject(at as never) || !Object.hasOwn(at as JsonObject, key)) return undefined;
    at = (at as JsonObject)[key];
  }
  return at;
}
