/**
 * `arn:aws:states:::states:startExecution[.sync|.sync:2]`: start another state machine's execution.
 * Without `.sync` the task ends at once with the new execution's ARN; with it, the task waits until the
 * child ends (the engine completes the parent's task then; see engine/nested-executions.ts).
 */
import { isJsonObject, type Json } from "@stepwise/asl";
import { nestedExecutionMode } from "../resource-map.ts";
import type { Runtime } from "../runtime.ts";
import { TaskFailure, type TaskHandler } from "./task-handler.ts";

export function nestedExecutionHandler(runtime: Runtime): TaskHandler {
  return async (input, ctx) => {
    const params = isJsonObject(input) ? input : {};
    if (typeof params.StateMachineArn !== "string")
      throw new TaskFailure("States.Runtime", "startExecution needs a StateMachineArn parameter");
    const mode = nestedExecutionMode(ctx.resource);
    const childInput: Json = params.Input ?? {};
    // On the parent's behalf: refused (StepFunctions.AccessDeniedException) outside its owner's scope.
    const started = await runtime.engine.startNested(ctx.executionArn, {
      stateMachineArn: params.StateMachineArn,
      // The attempt's id as default name makes a repeated handler run find the same child.
      name: typeof params.Name === "string" ? params.Name : ctx.taskId,
      input: typeof childInput === "string" ? childInput : JSON.stringify(childInput),
      // A traced parent's child starts under this task's run span, in the parent's trace.
      ...(ctx.trace ? { traceparent: ctx.trace.traceparent } : {}),
      ...(mode === "async" ? {} : { parentTaskToken: ctx.taskId }),
    });
    if (mode !== "async") ctx.deferCompletion();
    return { ExecutionArn: started.executionArn, StartDate: started.startDate.toISOString() };
  };
}
