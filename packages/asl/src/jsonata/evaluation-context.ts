/**
 * What one evaluation carries besides the expression's variables: its guard and the sources of time
 * and randomness handed to the core. Compiled expressions are cached and shared by concurrent
 * evaluations, so the functions and callbacks registered on them find their evaluation's context
 * through the evaluation's own frame rather than through a closure.
 */
import type jsonata from "jsonata";
import type { EvaluationGuard } from "./guard.ts";
import type { JsonataRegexEngine } from "./regex-engine.ts";

/** A binding name no expression can reference: a JSONata variable name ends at the first space. */
export const CONTEXT_BINDING = "stepwise evaluation";

export interface EvaluationContext {
  guard: EvaluationGuard;
  /** Uniform in [0, 1). */
  random: () => number;
  /** The instant `$now()` and `$millis()` report. */
  now: Date;
  /** The regex engine bound to this evaluation's guard (made when the evaluation first meets a regex). */
  regexEngine(): JsonataRegexEngine;
}

export function contextOf(environment: jsonata.Environment): EvaluationContext {
  const context: unknown = environment.lookup(CONTEXT_BINDING);
  if (context === undefined) throw new Error("A JSONata expression was evaluated without its Stepwise evaluation context");
  return context as EvaluationContext;
}
