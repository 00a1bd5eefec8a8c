import type { ChoiceRule, ChoiceState } from "../../definition.ts";
import { StatesErrorName, queryEvaluationError } from "../../errors.ts";
import { evaluateChoiceRule } from "../../choice/choice-rule.ts";
import { jsonata, selectPath } from "../expressions.ts";
import { guard, leaveState, raise } from "../outcomes.ts";
import { passThroughOutput } from "../state-data.ts";
import type { StepContext } from "../step-context.ts";

export async function runChoice(ctx: StepContext, state: ChoiceState): Promise<void> {
  let matched: ChoiceRule | null = null;
  const evaluated = await guard(ctx, async () => {
    matched = await firstMatchingRule(ctx, state);
  });
  if (!evaluated) return;
  // TypeScript cannot see the assignment inside the closure.
  const rule = matched as ChoiceRule | null;
  const next = rule?.Next ?? state.Default;
  if (next === undefined) {
    await raise(ctx, StatesErrorName.NoChoiceMatched, "No Matches!");
    return;
  }
  await guard(ctx, async () => {
    const fields = rule ? { Output: rule.Output, Assign: rule.Assign } : { Output: state.Output, Assign: state.Assign };
    leaveState(ctx, await passThroughOutput(ctx, fields), next);
  });
}

async function firstMatchingRule(ctx: StepContext, state: ChoiceState): Promise<ChoiceRule | null> {
  const scope = ctx.scope();
  if (ctx.language === "JSONata") {
    const states = { input: ctx.position.stateInput, context: scope.context };
    for (const [i, rule] of state.Choices.entries()) {
      const value = await jsonata(rule.Condition ?? null, states, scope, ctx.now, `Choices[${i}]/Condition`);
      if (typeof value !== "boolean") {
        throw queryEvaluationError(`The Condition field evaluated to a non-boolean value: ${JSON.stringify(value)}`);
      }
      if (value) return rule;
    }
    return null;
  }
  const input = selectPath(state.InputPath, ctx.position.stateInput, scope);
  return state.Choices.find((rule) => evaluateChoiceRule(rule, input, scope)) ?? null;
}
