/**
 * What a definition reaches once it runs: the activities its Task states send work to and the state
 * machines they start (`arn:aws:states:::states:startExecution`), found in every branch and item processor.
 */
import { isJsonObject, type Json, type StatesBlock } from "@stepwise/asl";

export interface DefinitionReach {
  /** ARNs named literally, with the state that names each. */
  arns: Array<{ arn: string; state: string }>;
  /** States that start a state machine chosen at run time (a path, an expression, or the state's input). */
  dynamicStates: string[];
}

const ACTIVITY = /^arn:aws:states:[^:]+:\d+:activity:/;
const START_EXECUTION = /^arn:aws:states:::states:startExecution(\.sync(:2)?)?$/;

/** `definition` must already be valid ASL. */
export function definitionReach(definition: string): DefinitionReach {
  const reach: DefinitionReach = { arns: [], dynamicStates: [] };
  visit(JSON.parse(definition) as StatesBlock, reach);
  return reach;
}

function visit(block: StatesBlock, reach: DefinitionReach): void {
  for (const [name, state] of Object.entries(block.States)) {
    if (state.Type === "Parallel") for (const branch of state.Branches) visit(branch, reach);
    if (state.Type === "Map") {
      const processor = state.ItemProcessor ?? state.Iterator;
      if (processor) visit(processor, reach);
    }
    if (state.Type !== "Task") continue;
    if (ACTIVITY.test(state.Resource)) reach.arns.push({ arn: state.Resource, state: name });
    if (!START_EXECUTION.test(state.Resource)) continue;
    const target = literalTarget(state.Parameters ?? state.Arguments);
    if (target === undefined) reach.dynamicStates.push(name);
    else reach.arns.push({ arn: target, state: name });
  }
}

/** The StateMachineArn the task's parameters give as a plain string, if they do. */
function literalTarget(parameters: Json | undefined): string | undefined {
  if (parameters === undefined || !isJsonObject(parameters) || "StateMachineArn.$" in parameters) return undefined;
  const arn = parameters.StateMachineArn;
  // JSONata evaluates `{% … %}` anywhere in the string.
  return typeof arn === "string" && !arn.includes("{%") ? arn : undefined;
}
