/**
 * The attributes of Stepwise's spans. Where OpenTelemetry's semantic conventions name one (AWS Step
 * Functions' state machine ARN) it is used; the rest are Stepwise's own, under `stepwise.`.
 */
export const ATTR_STATE_MACHINE_ARN = "aws.step_functions.state_machine.arn";
export const ATTR_EXECUTION_ARN = "stepwise.execution.arn";
export const ATTR_EXECUTION_STATUS = "stepwise.execution.status";
export const ATTR_REDRIVE_COUNT = "stepwise.execution.redrive_count";
export const ATTR_PARENT_EXECUTION_ARN = "stepwise.execution.parent_arn";
export const ATTR_STATE_NAME = "stepwise.state.name";
export const ATTR_STATES = "stepwise.states";
export const ATTR_THREAD_ID = "stepwise.thread.id";
export const ATTR_TRIGGER = "stepwise.trigger";
export const ATTR_EVENT_TYPES = "stepwise.history.event_types";
export const ATTR_TASK_ID = "stepwise.task.id";
export const ATTR_TASK_HANDLER = "stepwise.task.handler";
export const ATTR_TASK_RESOURCE = "stepwise.task.resource";
export const ATTR_TASK_OUTCOME = "stepwise.task.outcome";
export const ATTR_ERROR = "stepwise.error";
export const ATTR_CAUSE = "stepwise.cause";
