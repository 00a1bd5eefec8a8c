import type { ParallelState } from "../../definition.ts";
import type { Json } from "../../json.ts";
import { guard, leaveState, nextOf } from "../outcomes.ts";
import { effectiveInput, resultOutput } from "../state-data.ts";
import type { StepContext } from "../step-context.ts";
import { fanOut } from "./fan-out.ts";

export async function startParallel(ctx: StepContext, state: ParallelState): Promise<void> {
  await guard(ctx, async () => {
    const input = await effectiveInput(ctx);
    ctx.emit("ParallelStateStarted");
    const scope = ctx.position.scope;
    fanOut(
      ctx,
      "parallel",
      state.Branches.map((branch, i) => ({
        scope: [...scope, { state: ctx.position.stateName, branch: i }],
        startAt: branch.StartAt,
        input,
      })),
      { maxConcurrency: 0 },
    );
  });
}

export async function joinParallel(ctx: StepContext, state: ParallelState, results: Json[]): Promise<void> {
  await guard(ctx, async () => leaveState(ctx, await resultOutput(ctx, results), nextOf(state)));
}
