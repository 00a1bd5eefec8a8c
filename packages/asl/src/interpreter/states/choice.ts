import { evaluateChoiceRule } from "../../choice/choice-rule.ts";
import type { ChoiceRule, ChoiceState } from "../../definition.ts";
import { queryEvaluationError, StatesErrorName } from "../../errors.ts";
import { jsonata, selectPath } from "../expressions.ts";
import { guard, guardSync, leaveState, type Pending, raise } from "../outcomes.ts";
import { jsonPathPassThrough, passThroughOutput } from "../state-data.ts";
import type { StepContext } from "../step-context.ts";

export function runChoice(ctx: StepContext, state: ChoiceState): Pending {
  if (ctx.language === "JSONata") return runJsonataChoice(ctx, state);
  let rule: ChoiceRule | null = null;
  const failed = guardSync(ctx, () => {
    rule = matchingJsonPathRule(ctx, state);
  });
  if (failed) return failed;
  // TypeScript cannot see the assignment inside the closure.
  const matched = rule as ChoiceRule | null;
  const next = matched?.Next ?? state.Default;
  if (next === undefined) return raise(ctx, StatesErrorName.NoChoiceMatched, "No Matches!");
  return guardSync(ctx, () => leaveState(ctx, jsonPathPassThrough(ctx, exitFields(state, matched)), next));
}

async function runJsonataChoice(ctx: StepContext, state: ChoiceState): Promise<void> {
  let rule: ChoiceRule | null = null;
  const evaluated = await guard(ctx, async () => {
    rule = await matchingJsonataRule(ctx, state);
  });
  if (!evaluated) return;
  const matched = rule as ChoiceRule | null;
  const next = matched?.Next ?? state.Default;
  if (next === undefined) {
    await raise(ctx, StatesErrorName.NoChoiceMatched, "No Matches!");
    return;
  }
  await guard(ctx, async () => leaveState(ctx, await passThroughOutput(ctx, exitFields(state, matched)), next));
}

/** The matched rule's Output and Assign, or the state's own when the Default applies. */
function exitFields(state: ChoiceState, rule: ChoiceRule | null) {
  return rule ? { Output: rule.Output, Assign: rule.Assign } : { Output: state.Output, Assign: state.Assign };
}

function matchingJsonPathRule(ctx: StepContext, state: ChoiceState): ChoiceRule | null {
  const scope = ctx.scope();
  const input = selectPath(state.InputPath, ctx.position.stateInput, scope);
  return state.Choices.find((rule) => evaluateChoiceRule(rule, input, scope)) ?? null;
}

async function matchingJsonataRule(ctx: StepContext, state: ChoiceState): Promise<ChoiceRule | null> {
  const scope = ctx.scope();
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
