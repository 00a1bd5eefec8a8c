import type { Catcher } from "../definition.ts";
import { errorMatches } from "./error-match.ts";

/** The first catcher whose ErrorEquals matches, as AWS picks it. */
export function findCatcher(catchers: readonly Catcher[] | undefined, error: string | null, origin: "task" | "state"): Catcher | null {
  return catchers?.find((c) => errorMatches(c.ErrorEquals, error, origin)) ?? null;
}

/** What a catcher passes on: `{ Error, Cause }` as AWS shapes it (absent fields left out). */
export function errorOutput(error: string | null, cause: string | null): { Error?: string; Cause?: string } {
  const output: { Error?: string; Cause?: string } = {};
  if (error !== null) output.Error = error;
  if (cause !== null) output.Cause = cause;
  return output;
}
