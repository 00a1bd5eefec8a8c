/** RedriveExecution, and the redrive status DescribeExecution reports for an execution. */
import type { ExecutionEngine } from "@stepwise/runtime";
import type { ExecutionRecord, StateMachineRecord } from "@stepwise/storage";
import { z } from "zod";
import { type Action, action, byExecutionArn } from "./action.ts";
import { requireArn } from "./arn-checks.ts";
import { arnField } from "./request-shape.ts";
import { epochSeconds } from "./wire.ts";

export type RedriveStatus = { redriveStatus: "REDRIVABLE" } | { redriveStatus: "NOT_REDRIVABLE"; redriveStatusReason: string };

/**
 * NOT_REDRIVABLE exactly when RedriveExecution would answer ExecutionNotRedrivable, by the engine's rules.
 * `machine` is undefined when the machine is gone; the engine still redrives such executions.
 */
export function redriveStatusOf(
  engine: ExecutionEngine,
  execution: ExecutionRecord,
  historyLength: number,
  machine: StateMachineRecord | undefined,
): RedriveStatus {
  const reason = engine.redriveRefusal(execution, historyLength, machine);
  return reason === undefined ? { redriveStatus: "REDRIVABLE" } : { redriveStatus: "NOT_REDRIVABLE", redriveStatusReason: reason };
}

const redriveRequest = z.object({
  executionArn: arnField,
  // AWS answers the last 10 tokens that redrove the execution again, for 15 minutes, without redriving.
  clientToken: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[!-~]+$/)
    .optional(),
});

const redriveExecution: Action = action(redriveRequest, byExecutionArn, async ({ runtime, access }, request) => {
  const arn = requireArn(request.executionArn, "execution");
  const scope = access.executionScope;
  const { redriveDate } = await runtime.engine.redrive(arn, {
    ...(request.clientToken === undefined ? {} : { clientToken: request.clientToken }),
    // The redriven run acts for this credential too (see the engine's redrive.ts).
    ...(scope ? { scope } : {}),
  });
  return { redriveDate: epochSeconds(redriveDate) };
});

export const redriveActions: Record<string, Action> = { RedriveExecution: redriveExecution };
