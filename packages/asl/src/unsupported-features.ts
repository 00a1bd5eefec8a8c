/**
 * Fields of AWS's language that Stepwise accepts (published definitions use them) but does not execute.
 * The validator warns where a definition uses one, and a run fails when it enters such a state, with a
 * cause naming the field: never a result computed without it. Remove a field here once it runs.
 */
import type { JsonObject } from "./json.ts";

const NOT_EXECUTED: Readonly<Partial<Record<string, readonly string[]>>> = {
  Map: ["ItemReader", "ItemBatcher", "ResultWriter"],
};

/** The fields of `state` that Stepwise does not execute, in the order listed above. */
export function unexecutedFields(state: JsonObject): string[] {
  const fields = NOT_EXECUTED[String(state.Type)] ?? [];
  return fields.filter((field) => state[field] !== undefined);
}

export function unexecutedFieldMessage(stateName: string, field: string): string {
  return `The state '${stateName}' uses '${field}', which Stepwise does not execute yet`;
}
