import type { PassState } from "../../definition.ts";
import { guard, guardSync, leaveState, nextOf, type Pending } from "../outcomes.ts";
import { jsonPathInput, jsonPathResultOutput, resultOutput } from "../state-data.ts";
import type { StepContext } from "../step-context.ts";

export function runPass(ctx: StepContext, state: PassState): Pending {
  if (ctx.language === "JSONata") {
    return guard(ctx, async () => leaveState(ctx, await resultOutput(ctx, ctx.position.stateInput), nextOf(state)));
  }
  return guardSync(ctx, () => {
    const result = state.Result !== undefined ? state.Result : jsonPathInput(ctx);
    leaveState(ctx, jsonPathResultOutput(ctx, result, { selector: false }), nextOf(state));
  });
}
