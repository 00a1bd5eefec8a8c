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
