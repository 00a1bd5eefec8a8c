/**
 * Parts of AWS's language that Stepwise accepts (published definitions use them) but does not execute.
 * The validator warns where a definition uses one, and a run fails when it enters such a state, with a
 * cause naming the field: never a result computed without it. Remove an entry here once it runs.
 */
import { isJsonObject, type Json, type JsonObject } from "./json.ts";
import { ownValue } from "./own-property.ts";

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

/** A field Stepwise does not execute: its path from the state (`ItemReader/ReaderConfig/ManifestType`) and what to say. */
export interface UnexecutedField {
  field: string;
  message: string;
}

/** The fields of `state` that Stepwise does not execute, in the order listed above. */
export function unexecutedFields(stateName: string, state: JsonObject): UnexecutedField[] {
  const found: UnexecutedField[] = [];
  for (const entry of NOT_EXECUTED) {
    if (entry.type !== state.Type) continue;
    const value = valueAt(state, entry.path);
    if (value === undefined || (entry.value !== undefined && value !== entry.value)) continue;
    const named = entry.path.join(".");
    const what = entry.value !== undefined ? `'${named}: ${entry.value}'` : `'${named}'`;
    found.push({ field: entry.path.join("/"), message: `The state '${stateName}' uses ${what}, which Stepwise does not execute yet` });
  }
  return found;
}

function valueAt(state: JsonObject, path: readonly string[]): Json | undefined {
  let at: Json | undefined = state;
  for (const key of path) at = isJsonObject(at as Json) ? ownValue(at as JsonObject, key) : undefined;
  return at;
}
