/** Shared helpers of this folder's tests. */
import { StatesError } from "../errors.ts";
import type { Json } from "../json.ts";
import type { JsonataBindings } from "./evaluate.ts";
import { evaluateJsonataTemplate } from "./template.ts";

export const NOW = new Date("2024-05-01T10:00:00.123Z");

/** A random source that must not be drawn from. */
export const noRandom = (): number => {
  throw new Error("the random source was drawn from");
};

export function bindings(overrides: Partial<JsonataBindings> = {}): JsonataBindings {
  return { states: { input: {}, context: {} }, variables: {}, random: noRandom, now: NOW, ...overrides };
}

/** Evaluates `{% body %}` as the value of `Output`. */
export function evaluate(body: string, with_: JsonataBindings = bindings()): Promise<Json> {
  return evaluateJsonataTemplate(`{% ${body} %}`, with_, "Output");
}

/** The StatesError an evaluation fails with. */
export async function failureOf(evaluation: Promise<unknown>): Promise<StatesError> {
  try {
    await evaluation;
  } catch (error) {
    if (error instanceof StatesError) return error;
    throw error;
  }
  throw new Error("the evaluation succeeded");
}

/** The cause of `{% body %}` failing in `Output`, after AWS's fixed opening. */
export async function causeOf(body: string, with_: JsonataBindings = bindings()): Promise<string> {
  const failure = await failureOf(evaluate(body, with_));
  const opening = `The JSONata expression '${body}' specified for the field 'Output' `;
  if (failure.error !== "States.QueryEvaluationError" || !failure.causeText?.startsWith(opening)) {
    throw new Error(`unexpected failure ${failure.error}: ${failure.causeText}`);
  }
  return failure.causeText.slice(opening.length);
}

/** A random source returning the given values in turn. */
export function sequence(...values: number[]): () => number {
  let next = 0;
  return () => {
    const value = values[next];
    if (value === undefined) throw new Error("the random sequence is exhausted");
    next += 1;
    return value;
  };
}
