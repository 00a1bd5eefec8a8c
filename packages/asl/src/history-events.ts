/**
 * History events, in AWS's own shape (the same JSON the GetExecutionHistory API returns), so the runtime
 * stores and the API serves them as they are. Payloads (input/output) are JSON text, as in AWS.
 */
export type HistoryEventType =
  | "ActivityFailed"
  | "ActivityScheduled"
  | "ActivityScheduleFailed"
  | "ActivityStarted"
  | "ActivitySucceeded"
  | "ActivityTimedOut"
  | "ChoiceStateEntered"
  | "ChoiceStateExited"
  | "EvaluationFailed"
  | "ExecutionAborted"
  | "ExecutionFailed"
  | "ExecutionStarted"
  | "ExecutionSucceeded"
  | "ExecutionTimedOut"
  | "ExecutionRedriven"
  | "FailStateEntered"
  | "LambdaFunctionFailed"
  | "LambdaFunctionScheduled"
  | "LambdaFunctionStarted"
  | "LambdaFunctionSucceeded"
  | "LambdaFunctionTimedOut"
  | "MapIterationAborted"
  | "MapIterationFailed"
  | "MapIterationStarted"
  | "MapIterationSucceeded"
  | "MapRunAborted"
  | "MapRunFailed"
  | "MapRunStarted"
  | "MapRunSucceeded"
  | "MapRunRedriven"
  | "MapStateAborted"
  | "MapStateEntered"
  | "MapStateExited"
  | "MapStateFailed"
  | "MapStateStarted"
  | "MapStateSucceeded"
  | "ParallelStateAborted"
  | "ParallelStateEntered"
  | "ParallelStateExited"
  | "ParallelStateFailed"
  | "ParallelStateStarted"
  | "ParallelStateSucceeded"
  | "PassStateEntered"
  | "PassStateExited"
  | "SucceedStateEntered"
  | "SucceedStateExited"
  | "TaskFailed"
  | "TaskScheduled"
  | "TaskStartFailed"
  | "TaskStarted"
  | "TaskStateAborted"
  | "TaskStateEntered"
  | "TaskStateExited"
  | "TaskSubmitFailed"
  | "TaskSubmitted"
  | "TaskSucceeded"
  | "TaskTimedOut"
  | "WaitStateAborted"
  | "WaitStateEntered"
  | "WaitStateExited";

export interface PayloadDetails {
  truncated: boolean;
}

export interface ExecutionStartedEventDetails {
  input: string;
  inputDetails: PayloadDetails;
  roleArn: string;
  stateMachineArn?: string;
  /** Started through a version, or an alias (which names the version it picked as well). */
  stateMachineVersionArn?: string;
  stateMachineAliasArn?: string;
}
export interface ExecutionSucceededEventDetails {
  output: string;
  outputDetails: PayloadDetails;
}
export interface ErrorDetails {
  error?: string;
  cause?: string;
}
export interface StateEnteredEventDetails {
  name: string;
  input: string;
  inputDetails: PayloadDetails;
}
export interface StateExitedEventDetails {
  name: string;
  output: string;
  outputDetails: PayloadDetails;
  /** Variables assigned by the state's `Assign`, each value as JSON text. */
  assignedVariables?: Record<string, string>;
  assignedVariablesDetails?: PayloadDetails;
}
export interface TaskScheduledEventDetails {
  resourceType: string;
  resource: string;
  region: string;
  parameters: string;
  timeoutInSeconds?: number;
  heartbeatInSeconds?: number;
}
export interface TaskResourceDetails {
  resourceType: string;
  resource: string;
}
export interface TaskSucceededEventDetails extends TaskResourceDetails {
  output: string;
  outputDetails: PayloadDetails;
}
export interface TaskFailedEventDetails extends TaskResourceDetails, ErrorDetails {}
/** The service's answer to the request that started a callback (`.waitForTaskToken`) or job (`.sync`) task. */
export interface TaskSubmittedEventDetails extends TaskResourceDetails {
  output?: string;
  outputDetails?: PayloadDetails;
}
export interface LambdaFunctionScheduledEventDetails {
  resource: string;
  input: string;
  inputDetails: PayloadDetails;
  timeoutInSeconds?: number;
}
export interface LambdaFunctionSucceededEventDetails {
  output: string;
  outputDetails: PayloadDetails;
}
export interface MapStateStartedEventDetails {
  length: number;
}
export interface MapIterationEventDetails {
  name: string;
  index: number;
}
export interface EvaluationFailedEventDetails extends ErrorDetails {
  location?: string;
  state: string;
}
export interface MapRunStartedEventDetails {
  mapRunArn: string;
}
export interface ExecutionRedrivenEventDetails {
  redriveCount: number;
}
export interface MapRunRedrivenEventDetails {
  mapRunArn: string;
  redriveCount: number;
}

export interface HistoryEventDetails {
  executionStartedEventDetails?: ExecutionStartedEventDetails;
  executionSucceededEventDetails?: ExecutionSucceededEventDetails;
  executionFailedEventDetails?: ErrorDetails;
  executionAbortedEventDetails?: ErrorDetails;
  executionTimedOutEventDetails?: ErrorDetails;
  executionRedrivenEventDetails?: ExecutionRedrivenEventDetails;
  stateEnteredEventDetails?: StateEnteredEventDetails;
  stateExitedEventDetails?: StateExitedEventDetails;
  taskScheduledEventDetails?: TaskScheduledEventDetails;
  taskStartedEventDetails?: TaskResourceDetails;
  taskSucceededEventDetails?: TaskSucceededEventDetails;
  taskFailedEventDetails?: TaskFailedEventDetails;
  taskTimedOutEventDetails?: TaskFailedEventDetails;
  taskSubmittedEventDetails?: TaskSubmittedEventDetails;
  lambdaFunctionScheduledEventDetails?: LambdaFunctionScheduledEventDetails;
  lambdaFunctionSucceededEventDetails?: LambdaFunctionSucceededEventDetails;
  lambdaFunctionFailedEventDetails?: ErrorDetails;
  lambdaFunctionTimedOutEventDetails?: ErrorDetails;
  mapStateStartedEventDetails?: MapStateStartedEventDetails;
  mapIterationStartedEventDetails?: MapIterationEventDetails;
  mapIterationSucceededEventDetails?: MapIterationEventDetails;
  mapIterationFailedEventDetails?: MapIterationEventDetails;
  mapIterationAbortedEventDetails?: MapIterationEventDetails;
  mapRunStartedEventDetails?: MapRunStartedEventDetails;
  mapRunFailedEventDetails?: ErrorDetails;
  mapRunRedrivenEventDetails?: MapRunRedrivenEventDetails;
  evaluationFailedEventDetails?: EvaluationFailedEventDetails;
}

/** One entry of an execution's history. `id` is 1..n per execution; `previousEventId` 0 for the first. */
export interface HistoryEvent extends HistoryEventDetails {
  id: number;
  previousEventId: number;
  /** ISO-8601 time the event happened. */
  timestamp: string;
  type: HistoryEventType;
}
