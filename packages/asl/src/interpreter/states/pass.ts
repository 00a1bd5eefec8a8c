import type { PassState } from "../../definition.ts";
import { effectiveInput, resultOutput } from "../state-data.ts";
import { guard, leaveState, nextOf } from "../outcomes.ts";
import type { StepContext } from "../step-context.ts";

export async function runPass(ctx: StepContext, state: PassState): Promise<void> {
  await guard(ctx, async () => {
    if (ctx.language === "JSONata") {
      leaveState(ctx, await resultOutput(ctx, ctx.position.stateInput), nextOf(state));
      return;
    }
    const result = state.Result !== undefined ? state.Result : await effectiveInput(ctx);
    leaveState(ctx, await resultOutput(ctx, result, { selector: false }), nextOf(state));
  });
}
