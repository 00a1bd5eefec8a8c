import type { Json, ThreadOutcome } from "@stepwise/asl";
import type { ExecutionRecord } from "@stepwise/storage";
import type { NestedExecutionMode } from "../resource-map.ts";

/**
 * What a `.sync` parent task receives when its child ends: the child's description, with Input and
 * Output as JSON text (`.sync`) or JSON values (`.sync:2`), as AWS returns them. A child that did not
 * succeed fails the parent's task with States.TaskFailed and that description as the cause.
 */
export function parentOutcome(
  child: ExecutionRecord,
  outcome: ThreadOutcome,
  mode: NestedExecutionMode,
): { output: Json } | { error: string; cause: string } {
  const parsed = mode === "sync2";
  const output = outcome.status === "SUCCEEDED" ? JSON.stringify(outcome.output) : null;
  const description: Record<string, Json> = {
    ExecutionArn: child.arn,
    StateMachineArn: child.stateMachineArn,
    Name: child.name,
    Status: outcome.status,
    StartDate: child.startDate.toISOString(),
    Input: parsed ? (JSON.parse(child.input) as Json) : child.input,
    InputDetails: { Included: true },
  };
  if (output !== null) {
    description.Output = parsed ? (JSON.parse(output) as Json) : output;
    description.OutputDetails = { Included: true };
    return { output: description };
  }
  if (outcome.status !== "SUCCEEDED") {
    if (outcome.error !== null) description.Error = outcome.error;
    if (outcome.cause !== null) description.Cause = outcome.cause;
  }
  return { error: "States.TaskFailed", cause: JSON.stringify(description) };
}
