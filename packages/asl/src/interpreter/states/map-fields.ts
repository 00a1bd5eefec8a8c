/**
 * Evaluating a Map state's own fields (limits, ItemReader and ResultWriter parameters, BatchInput)
 * against its input: literals, `…Path` reference paths (JSONPath) and JSONata expressions.
 */
import type { MapState } from "../../definition.ts";
import type { Json } from "../../json.ts";
import { jsonata, readPath, resolveTemplate, selectPath } from "../expressions.ts";
import type { StepContext } from "../step-context.ts";

export function shown(value: Json): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** The input the Map's fields read: after InputPath (JSONPath), the state's input (JSONata). */
export function mapEffectiveInput(ctx: StepContext, state: MapState): Json {
  const input = ctx.position.stateInput;
  return ctx.language === "JSONata" ? input : selectPath(state.InputPath, input, ctx.scope());
}

/** A limit given as a literal, a JSONata expression (a string) or a `…Path` into the effective input. */
export async function mapFieldValue(
  ctx: StepContext,
  state: MapState,
  literal: number | string | undefined,
  path: string | undefined,
  field: string,
): Promise<Json | undefined> {
  const scope = ctx.scope();
  const input = ctx.position.stateInput;
  if (typeof literal === "string") return jsonata(literal, { input, context: scope.context }, scope, ctx.now, field);
  if (literal !== undefined) return literal;
  if (path === undefined) return undefined;
  return readPath(path, mapEffectiveInput(ctx, state), scope);
}

/** An object template (`Parameters`, `Arguments`, `BatchInput`) in the state's language. */
export async function evaluateTemplate(ctx: StepContext, state: MapState, template: Json, field: string): Promise<Json> {
  const scope = ctx.scope();
  if (ctx.language === "JSONata") {
    return jsonata(template, { input: ctx.position.stateInput, context: scope.context }, scope, ctx.now, field);
  }
  return resolveTemplate(template, mapEffectiveInput(ctx, state), scope);
}
