import type { FailState, SucceedState } from "../../definition.ts";
import type { Json } from "../../json.ts";
import { evaluatePathOrIntrinsic, jsonata } from "../expressions.ts";
import { finishThread, guard, guardSync, leaveState, type Pending } from "../outcomes.ts";
import { jsonPathPassThrough, passThroughOutput } from "../state-data.ts";
import type { StepContext } from "../step-context.ts";

export function runSucceed(ctx: StepContext, _state: SucceedState): Pending {
  if (ctx.language === "JSONata") return guard(ctx, async () => leaveState(ctx, await passThroughOutput(ctx), undefined));
  return guardSync(ctx, () => leaveState(ctx, jsonPathPassThrough(ctx), undefined));
}

export async function runFail(ctx: StepContext, state: FailState): Promise<void> {
  await guard(ctx, async () => {
    const error = await failField(ctx, state.Error, state.ErrorPath, "Error");
    const cause = await failField(ctx, state.Cause, state.CausePath, "Cause");
    finishThread(ctx, { status: "FAILED", error, cause });
  });
}

async function failField(ctx: StepContext, literal: string | undefined, path: string | undefined, field: string): Promise<string | null> {
  const scope = ctx.scope();
  const input = ctx.position.stateInput;
  let value: Json | undefined;
  if (ctx.language === "JSONata") {
    if (literal === undefined) return null;
    value = await jsonata(literal, { input, context: scope.context }, scope, ctx.now, field);
  } else if (path !== undefined) {
    value = evaluatePathOrIntrinsic(path, input, scope);
  } else {
    return literal ?? null;
  }
  return typeof value === "string" ? value : JSON.stringify(value);
}
