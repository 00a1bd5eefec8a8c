/**
 * A schedule's Target, turned into the StartExecution it makes: either a Stepwise state machine (or
 * version or alias) ARN with `Input` as the execution's input, or AWS's templated target
 * `arn:aws:scheduler:::aws-sdk:sfn:startExecution` whose `Input` is StartExecution's own request
 * (`StateMachineArn`, `Input`). Context attributes in `Input` are replaced as AWS replaces them.
 */
import { machineTarget } from "@stepwise/runtime";
import type { ScheduleTarget } from "@stepwise/storage";
import { ValidationException } from "../validation.ts";

export const START_EXECUTION_TARGET = "arn:aws:scheduler:::aws-sdk:sfn:startExecution";

/** What EventBridge Scheduler substitutes for `<aws.scheduler.…>` in a target's Input. */
export interface InvocationContext {
  scheduleArn: string;
  scheduledTime: Date;
  executionId: string;
  attemptNumber: number;
}

export interface StartCall {
  stateMachineArn: string;
  input: string;
}

/** The state machine a target starts; refuses a target Stepwise cannot invoke, naming the field. */
export function targetStateMachine(target: ScheduleTarget): string {
  return startCall(target, undefined).stateMachineArn;
}

export function startCall(target: ScheduleTarget, context: InvocationContext | undefined): StartCall {
  const input = context && target.Input !== undefined ? substitute(target.Input, context) : target.Input;
  if (target.Arn !== START_EXECUTION_TARGET) {
    if (!machineTarget(target.Arn)) {
      throw new ValidationException(
        "Target.Arn",
        `'${target.Arn}' is not a Stepwise state machine, version or alias ARN, nor ${START_EXECUTION_TARGET}`,
      );
    }
    return { stateMachineArn: target.Arn, input: input ?? "{}" };
  }
  let request: unknown;
  try {
    request = JSON.parse(input ?? "");
  } catch {
    throw new ValidationException(
      "Target.Input",
      `the ${START_EXECUTION_TARGET} target needs Input holding StartExecution's request as JSON`,
    );
  }
  const { StateMachineArn: arn, Input: executionInput } = (request ?? {}) as { StateMachineArn?: unknown; Input?: unknown };
  if (typeof arn !== "string" || !machineTarget(arn)) {
    throw new ValidationException("Target.Input", "StateMachineArn must be a Stepwise state machine, version or alias ARN");
  }
  return {
    stateMachineArn: arn,
    input: executionInput === undefined ? "{}" : typeof executionInput === "string" ? executionInput : JSON.stringify(executionInput),
  };
}

function substitute(text: string, context: InvocationContext): string {
  return text
    .replaceAll("<aws.scheduler.schedule-arn>", context.scheduleArn)
    .replaceAll("<aws.scheduler.scheduled-time>", context.scheduledTime.toISOString().replace(/\.\d{3}Z$/, "Z"))
    .replaceAll("<aws.scheduler.execution-id>", context.executionId)
    .replaceAll("<aws.scheduler.attempt-number>", String(context.attemptNumber));
}
