/** RedriveExecution, and the redrive status DescribeExecution reports for an execution. */
import type { ExecutionRecord, StateMachineType } from "@stepwise/storage";
import { z } from "zod";
import { type Action, action, byExecutionArn } from "./action.ts";
import { requireArn } from "./arn-checks.ts";
import { arnField } from "./request-shape.ts";
import { epochSeconds } from "./wire.ts";

const REDRIVABLE = new Set<string>(["FAILED", "TIMED_OUT", "ABORTED"]);

/**
 * NOT_REDRIVABLE exactly when RedriveExecution would answer ExecutionNotRedrivable, as AWS defines it.
 * `machineType` is undefined when the machine is gone; the engine still redrives such executions.
 */
export function redriveStatusOf(
  execution: Pick<ExecutionRecord, "status">,
  machineType: StateMachineType | undefined,
): { redriveStatus: "REDRIVABLE" } | { redriveStatus: "NOT_REDRIVABLE"; redriveStatusReason: string } {
  if (machineType === "EXPRESS") {
    return { redriveStatus: "NOT_REDRIVABLE", redriveStatusReason: "Executions of EXPRESS state machines cannot be redriven" };
  }
  if (REDRIVABLE.has(execution.status)) return { redriveStatus: "REDRIVABLE" };
  return { redriveStatus: "NOT_REDRIVABLE", redriveStatusReason: `Execution is ${execution.status} and cannot be redriven` };
}

const redriveRequest = z.object({
  executionArn: arnField,
  // Accepted with AWS's constraints, but Stepwise keeps no record of tokens: a retry of a redrive that went
  // through finds the execution RUNNING and is answered ExecutionNotRedrivable instead of the first answer.
  clientToken: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[!-~]+$/)
    .optional(),
});

const redriveExecution: Action = action(redriveRequest, byExecutionArn, async ({ runtime }, request) => {
  const { redriveDate } = await runtime.engine.redrive(requireArn(request.executionArn, "execution"));
  return { redriveDate: epochSeconds(redriveDate) };
});

export const redriveActions: Record<string, Action> = { RedriveExecution: redriveExecution };
