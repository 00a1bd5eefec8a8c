/**
 * How data flows through a state, per query language: what a state works on (its effective input) and
 * what it passes on (its output and the variables it assigns).
 */

import type { State } from "../definition.ts";
import { StatesError, StatesErrorName } from "../errors.ts";
import type { Json, JsonObject } from "../json.ts";
import { textFitsBytes } from "../json.ts";
import { applyResultPath, jsonata, jsonataAssign, jsonPathAssign, resolveTemplate, selectPath } from "./expressions.ts";
import { placedText } from "./placed-text.ts";
import type { StepContext } from "./step-context.ts";

type AnyState = State & {
  InputPath?: string | null;
  OutputPath?: string | null;
  Parameters?: Json;
  Arguments?: Json;
  ResultSelector?: Json;
  ResultPath?: string | null;
  Output?: Json;
  Assign?: JsonObject;
};

export const DEFAULT_MAX_PAYLOAD_BYTES = 262_144;

/** The input a state acts on: after InputPath and Parameters (JSONPath) or Arguments (JSONata). */
export async function effectiveInput(ctx: StepContext, scopeExtra?: { taskToken?: string }): Promise<Json> {
  if (ctx.language !== "JSONata") return jsonPathInput(ctx, scopeExtra);
  const state = ctx.state as AnyState;
  const input = ctx.position.stateInput;
  if (state.Arguments === undefined) return input;
  const scope = ctx.scope(scopeExtra);
  return jsonata(state.Arguments, { input, context: scope.context }, scope, ctx.now, "Arguments");
}

/** `effectiveInput` of a JSONPath state, which needs nothing asynchronous. */
export function jsonPathInput(ctx: StepContext, scopeExtra?: { taskToken?: string }): Json {
  const state = ctx.state as AnyState;
  const scope = ctx.scope(scopeExtra);
  const selected = selectPath(state.InputPath, ctx.position.stateInput, scope);
  return state.Parameters === undefined ? selected : resolveTemplate(state.Parameters, selected, scope);
}

export interface StateOutput {
  output: Json;
  assigned?: Record<string, Json>;
}

/**
 * Output of a state that produced a result (Pass, Task, Parallel, Map): ResultSelector, ResultPath,
 * OutputPath (JSONPath) or Output (JSONata), and the state's Assign, evaluated against the variables
 * as they were before this state assigns any.
 */
export async function resultOutput(ctx: StepContext, result: Json, options: { selector?: boolean } = {}): Promise<StateOutput> {
  if (ctx.language !== "JSONata") return jsonPathResultOutput(ctx, result, options);
  const state = ctx.state as AnyState;
  const scope = ctx.scope();
  const states = { input: ctx.position.stateInput, context: scope.context, result };
  const assigned = state.Assign ? await jsonataAssign(state.Assign, states, scope, ctx.now) : undefined;
  const output = state.Output === undefined ? result : await jsonata(state.Output, states, scope, ctx.now, "Output");
  return { output, assigned };
}

/** `resultOutput` of a JSONPath state, which needs nothing asynchronous. */
export function jsonPathResultOutput(ctx: StepContext, result: Json, options: { selector?: boolean } = {}): StateOutput {
  const state = ctx.state as AnyState;
  const input = ctx.position.stateInput;
  const scope = ctx.scope();
  const selected =
    options.selector !== false && state.ResultSelector !== undefined ? resolveTemplate(state.ResultSelector, result, scope) : result;
  const assigned = state.Assign ? jsonPathAssign(state.Assign, selected, scope) : undefined;
  const placed = applyResultPath(input, state.ResultPath, selected);
  const output = selectPath(state.OutputPath, placed, scope);
  const inputText = ctx.knownText(input);
  const text = output === placed && inputText !== undefined ? placedText(input, inputText, state.ResultPath, selected) : undefined;
  if (text !== undefined) ctx.rememberText(output, text);
  return { output, assigned };
}

type PassThroughFields = { Output?: Json; Assign?: JsonObject };

/** Output of a state that passes its input on (Choice, Wait, Succeed). */
export async function passThroughOutput(ctx: StepContext, fields: PassThroughFields = ctx.state as AnyState): Promise<StateOutput> {
  if (ctx.language !== "JSONata") return jsonPathPassThrough(ctx, fields);
  const input = ctx.position.stateInput;
  const scope = ctx.scope();
  const states = { input, context: scope.context };
  const assigned = fields.Assign ? await jsonataAssign(fields.Assign, states, scope, ctx.now) : undefined;
  const output = fields.Output === undefined ? input : await jsonata(fields.Output, states, scope, ctx.now, "Output");
  return { output, assigned };
}

/** `passThroughOutput` of a JSONPath state, which needs nothing asynchronous. */
export function jsonPathPassThrough(ctx: StepContext, fields: PassThroughFields = ctx.state as AnyState): StateOutput {
  const state = ctx.state as AnyState;
  const scope = ctx.scope();
  const selected = selectPath(state.InputPath, ctx.position.stateInput, scope);
  const assigned = fields.Assign ? jsonPathAssign(fields.Assign, selected, scope) : undefined;
  return { output: selectPath(state.OutputPath, selected, scope), assigned };
}

/** AWS refuses state data above its payload quota with States.DataLimitExceeded. */
export function checkPayload(ctx: StepContext, value: Json, what: string): void {
  const limit = ctx.env.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  if (!textFitsBytes(serialised(ctx, value, what), limit)) {
    throw new StatesError(
      StatesErrorName.DataLimitExceeded,
      `The ${what} of state '${ctx.position.stateName}' has a size exceeding the maximum number of bytes service limit (${limit} bytes).`,
    );
  }
}

/**
 * The data's JSON text. Data nested deeper than V8's stack lets JSON.stringify go (States.StringToJson or
 * an HTTP response can build it from a few kilobytes of text) raises RangeError: named here as
 * States.Runtime, it fails the execution instead of failing every attempt of the transition, which
 * would leave the execution RUNNING for ever.
 */
function serialised(ctx: StepContext, value: Json, what: string): string {
  try {
    return ctx.jsonText(value);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new StatesError(
      StatesErrorName.Runtime,
      `The ${what} of state '${ctx.position.stateName}' is nested too deeply to serialise (${error.message}).`,
    );
  }
}
