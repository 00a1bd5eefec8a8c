/** Request errors the engine raises, named as AWS names them. */
export class InvalidExecutionInput extends Error {
  override readonly name = "InvalidExecutionInput";
}

export class InvalidName extends Error {
  override readonly name = "InvalidName";
}

export class ExecutionNotRedrivable extends Error {
  override readonly name = "ExecutionNotRedrivable";
}

/** A callback's output, error or cause holds U+0000, which Postgres cannot store (refused, the task stays open). */
export class UnstorableText extends Error {
  override readonly name = "UnstorableText";
}

/**
 * A running execution tried to start a state machine outside the scope of the credential that started
 * it. Named as AWS names an IAM refusal inside a `states:startExecution` task: the service's prefix and
 * the API's error code, so Retry/Catch written for AWS match it.
 */
export class NestedStartDenied extends Error {
  override readonly name = "StepFunctions.AccessDeniedException";
}
