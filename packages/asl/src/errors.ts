/**
 * Errors are values with names. A StatesError is what a state raises: it carries the ASL error name
 * (matched by Retry/Catch `ErrorEquals`) and the cause text that ends up in the history.
 */
export const StatesErrorName = {
  ALL: "States.ALL",
  Runtime: "States.Runtime",
  Timeout: "States.Timeout",
  HeartbeatTimeout: "States.HeartbeatTimeout",
  TaskFailed: "States.TaskFailed",
  Permissions: "States.Permissions",
  ResultPathMatchFailure: "States.ResultPathMatchFailure",
  ParameterPathFailure: "States.ParameterPathFailure",
  QueryEvaluationError: "States.QueryEvaluationError",
  BranchFailed: "States.BranchFailed",
  NoChoiceMatched: "States.NoChoiceMatched",
  IntrinsicFailure: "States.IntrinsicFailure",
  ExceedToleratedFailureThreshold: "States.ExceedToleratedFailureThreshold",
  ItemReaderFailed: "States.ItemReaderFailed",
  ResultWriterFailed: "States.ResultWriterFailed",
  DataLimitExceeded: "States.DataLimitExceeded",
} as const;

/** Errors that `States.ALL` does not catch (AWS: States.Runtime is never caught or retried). */
export const UNCATCHABLE_ERRORS: ReadonlySet<string> = new Set([StatesErrorName.Runtime, StatesErrorName.DataLimitExceeded]);

export class StatesError extends Error {
  override readonly name = "StatesError";
  constructor(
    /** ASL error name, e.g. `States.Runtime`. `null` when a Fail state has no Error. */
    readonly error: string | null,
    /** The cause text recorded in the history. */
    readonly causeText: string | null,
  ) {
    super(`${error ?? "(no error)"}: ${causeText ?? ""}`);
  }
}

export function statesError(error: string, cause: string): StatesError {
  return new StatesError(error, cause);
}

export const runtimeError = (cause: string) => new StatesError(StatesErrorName.Runtime, cause);
export const queryEvaluationError = (cause: string) => new StatesError(StatesErrorName.QueryEvaluationError, cause);
export const intrinsicFailure = (cause: string) => new StatesError(StatesErrorName.IntrinsicFailure, cause);
