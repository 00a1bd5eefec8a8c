import type { Catcher } from "../definition.ts";
import type { Json } from "../json.ts";
import { applyResultPath, jsonata, jsonataAssign, jsonPathAssign } from "./expressions.ts";
import type { StateOutput } from "./state-data.ts";
import type { StepContext } from "./step-context.ts";

/** What a catcher passes to its Next state: the error output placed by ResultPath, or its JSONata Output. */
export async function catcherOutput(ctx: StepContext, catcher: Catcher, error: Json): Promise<StateOutput> {
  const input = ctx.position.stateInput;
  const scope = ctx.scope();
  if (ctx.language === "JSONata") {
    const states = { input, context: scope.context, errorOutput: error };
    const assigned = catcher.Assign ? await jsonataAssign(catcher.Assign, states, scope, ctx.now) : undefined;
    const output = catcher.Output === undefined ? error : await jsonata(catcher.Output, states, scope, ctx.now, "Output");
    return { output, assigned };
  }
  const assigned = catcher.Assign ? jsonPathAssign(catcher.Assign, error, scope) : undefined;
  return { output: applyResultPath(input, catcher.ResultPath, error), assigned };
}
