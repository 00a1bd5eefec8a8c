import { StatesErrorName, UNCATCHABLE_ERRORS } from "../errors.ts";

/**
 * Whether an `ErrorEquals` list matches an error, as AWS matches: names exactly, `States.ALL` anything
 * but the terminal errors, and `States.TaskFailed` any task error except `States.Timeout`.
 */
export function errorMatches(errorEquals: readonly string[], error: string | null, origin: "task" | "state" = "state"): boolean {
  const name = error ?? "";
  for (const candidate of errorEquals) {
    if (candidate === name) return true;
    if (candidate === StatesErrorName.ALL && !UNCATCHABLE_ERRORS.has(name)) return true;
    if (
      candidate === StatesErrorName.TaskFailed &&
      origin === "task" &&
      name !== StatesErrorName.Timeout &&
      !UNCATCHABLE_ERRORS.has(name)
    ) {
      return true;
    }
  }
  return false;
}
