/**
 * StartSyncExecution, for EXPRESS machines. Express executions run in a worker (one job each, in memory),
 * so this starts one through the engine as StartExecution does and waits until its record closes. AWS's
 * Express limit, 5 minutes, bounds the wait: an execution still running then is stopped and answered
 * TIMED_OUT.
 */
import { type ExecutionRecord, getExecution } from "@stepwise/storage";
import { z } from "zod";
import { type Action, type ActionContext, action, byMachineArn } from "./action.ts";
import { requireMachineTarget } from "./arn-checks.ts";
import { AwsError } from "./aws-error.ts";
import { startRequest } from "./executions.ts";
import { getLiveStateMachine } from "./state-machines.ts";
import { epochSeconds, present } from "./wire.ts";

const TIMEOUT_ERROR = "States.Timeout";

const syncRequest = startRequest.extend({ includedData: z.enum(["ALL_DATA", "METADATA_ONLY"]).optional() });

const startSyncExecution: Action = action(syncRequest, byMachineArn, async (context, request) => {
  const { runtime, options } = context;
  const target = requireMachineTarget(request.stateMachineArn, "machine", "version", "alias");
  const machine = await getLiveStateMachine(runtime.db, target.machineArn);
  if (machine.type !== "EXPRESS") {
    throw new AwsError("StateMachineTypeNotSupported", "This operation is not supported by this type of state machine");
  }
  const scope = context.access.executionScope;
  const started = await runtime.engine.start({
    stateMachineArn: request.stateMachineArn,
    ...(scope ? { scope } : {}),
    ...(request.name !== undefined ? { name: request.name } : {}),
    ...(request.input !== undefined ? { input: request.input } : {}),
    ...(request.traceHeader !== undefined ? { traceHeader: request.traceHeader } : {}),
    ...(context.traceparent ? { traceparent: context.traceparent } : {}),
  });
  let execution = await waitUntilClosed(context, started.executionArn, options.syncExecutionTimeoutMs);
  let timedOut = false;
  if (execution.status === "RUNNING" && !context.signal.aborted) {
    const seconds = Math.round(options.syncExecutionTimeoutMs / 1000);
    await runtime.engine.stop(execution.arn, TIMEOUT_ERROR, `The execution did not end within ${seconds} seconds`);
    execution = await getExecution(runtime.db, execution.arn);
    timedOut = true;
  }
  return syncResponse(execution, timedOut, request.includedData !== "METADATA_ONLY");
});

async function waitUntilClosed(context: ActionContext, arn: string, timeoutMs: number): Promise<ExecutionRecord> {
  const deadline = Date.now() + timeoutMs;
  let pause = 20;
  for (;;) {
    const execution = await getExecution(context.runtime.db, arn);
    if (execution.status !== "RUNNING" || Date.now() >= deadline || context.signal.aborted) return execution;
    await new Promise((resolve) => setTimeout(resolve, Math.min(pause, deadline - Date.now())));
    pause = Math.min(pause * 2, 250);
  }
}

/** AWS's sync statuses are SUCCEEDED, FAILED and TIMED_OUT: a stopped execution counts as failed. */
function syncResponse(execution: ExecutionRecord, timedOut: boolean, includeData: boolean) {
  const status = timedOut || execution.status === "TIMED_OUT" ? "TIMED_OUT" : execution.status === "SUCCEEDED" ? "SUCCEEDED" : "FAILED";
  return present({
    executionArn: execution.arn,
    stateMachineArn: execution.stateMachineArn,
    name: execution.name,
    startDate: epochSeconds(execution.startDate),
    stopDate: epochSeconds(execution.stopDate ?? new Date()),
    status,
    error: execution.error,
    cause: execution.cause,
    input: includeData ? execution.input : undefined,
    inputDetails: { included: includeData },
    output: includeData && status === "SUCCEEDED" ? execution.output : undefined,
    outputDetails: status === "SUCCEEDED" ? { included: includeData } : undefined,
    traceHeader: execution.traceHeader,
  });
}

export const syncExecutionActions: Record<string, Action> = { StartSyncExecution: startSyncExecution };
