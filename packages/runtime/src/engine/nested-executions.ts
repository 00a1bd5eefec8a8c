import type { Json, ThreadOutcome } from "@stepwise/asl";
import { type ExecutionRecord, type Executor, getExecutionScope } from "@stepwise/storage";
import type { NestedExecutionMode } from "../resource-map.ts";
import { accessDeniedMessage, type CredentialScope, ScopeMatcher } from "../scope/credential-scope.ts";
import { NestedStartDenied } from "./engine-errors.ts";

/**
 * The scope a nested start acts under: its parent's, that is, the scope of the credential that started the
 * first execution of the chain. Checked here, when the start happens, whatever the definition looked like
 * when it was created (a target read from the input, a lambda:invoke FunctionName that names the
 * startExecution handler, a version or alias ARN, a definition stored before a check existed). Refused
 * with StepFunctions.AccessDeniedException, which fails the parent's task; nothing is started.
 */
export async function nestedStartScope(db: Executor, parentExecutionArn: string, targetArn: string): Promise<CredentialScope | undefined> {
  const scope = await getExecutionScope(db, parentExecutionArn);
  if (scope === null) return undefined;
  if (!new ScopeMatcher(scope).allowsArn(targetArn)) {
    throw new NestedStartDenied(
      `${accessDeniedMessage(scope.principal, "states:StartExecution", targetArn, "it is outside the scope of the credential that started the execution")} (Service: AWSStepFunctions; Status Code: 400; Error Code: AccessDeniedException)`,
    );
  }
  return scope;
}

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
