/**
 * Errors the store raises, named and worded as the Step Functions API names and words them, so the API layer
 * can answer with `error.name` as the AWS error code and `error.message` as its message.
 */
export abstract class StorageError extends Error {}

export class StateMachineDoesNotExist extends StorageError {
  override readonly name = "StateMachineDoesNotExist";
  constructor(readonly arn: string) {
    super(`State Machine Does Not Exist: '${arn}'`);
  }
}

export class StateMachineAlreadyExists extends StorageError {
  override readonly name = "StateMachineAlreadyExists";
  constructor(readonly arn: string) {
    super(`State Machine Already Exists: '${arn}'`);
  }
}

export class StateMachineDeleting extends StorageError {
  override readonly name = "StateMachineDeleting";
  constructor(readonly arn: string) {
    super(`State Machine is being deleted: '${arn}'`);
  }
}

export class ExecutionDoesNotExist extends StorageError {
  override readonly name = "ExecutionDoesNotExist";
  constructor(readonly arn: string) {
    super(`Execution Does Not Exist: '${arn}'`);
  }
}

export class ExecutionAlreadyExists extends StorageError {
  override readonly name = "ExecutionAlreadyExists";
  constructor(readonly arn: string) {
    super(`Execution Already Exists: '${arn}'`);
  }
}

export class ActivityDoesNotExist extends StorageError {
  override readonly name = "ActivityDoesNotExist";
  constructor(readonly arn: string) {
    super(`Activity Does Not Exist: '${arn}'`);
  }
}

export class ResourceNotFound extends StorageError {
  override readonly name = "ResourceNotFound";
  constructor(readonly arn: string) {
    super(`Resource not found: '${arn}'`);
  }
}

export class TaskDoesNotExist extends StorageError {
  override readonly name = "TaskDoesNotExist";
  constructor() {
    super("Task Does Not Exist");
  }
}

/** The task was already closed (completed, failed, timed out or cancelled with its execution). */
export class TaskTimedOut extends StorageError {
  override readonly name = "TaskTimedOut";
  constructor() {
    super("Task Timed Out");
  }
}

export class InvalidToken extends StorageError {
  override readonly name = "InvalidToken";
  constructor(detail: string) {
    super(`Invalid Token: '${detail}'`);
  }
}

/** A history event id that is already taken: another writer appended to this execution first. */
export class DuplicateHistoryEvent extends StorageError {
  override readonly name = "DuplicateHistoryEvent";
  constructor(readonly executionArn: string) {
    super(`History event ids already taken for execution '${executionArn}'`);
  }
}

/** A change that would leave versions and aliases inconsistent: a stale revision, a version an alias routes to. */
export class ConflictException extends StorageError {
  override readonly name = "ConflictException";
}

/** AWS's per-machine limits on versions and aliases. */
export class ServiceQuotaExceededException extends StorageError {
  override readonly name = "ServiceQuotaExceededException";
}

/** EventBridge Scheduler's 404: a schedule or schedule group that does not exist. */
export class SchedulerResourceNotFound extends StorageError {
  override readonly name = "ResourceNotFoundException";
}

/** EventBridge Scheduler's 409: a schedule or schedule group that exists already. */
export class SchedulerConflict extends StorageError {
  override readonly name = "ConflictException";
}

/** EventBridge's ResourceNotFoundException: an event bus or rule that does not exist. */
export class EventsResourceNotFound extends StorageError {
  override readonly name = "ResourceNotFoundException";
}

/** EventBridge's ResourceAlreadyExistsException: CreateEventBus with a name taken. */
export class EventsResourceAlreadyExists extends StorageError {
  override readonly name = "ResourceAlreadyExistsException";
}

/** A webhook that does not exist (REST 404). */
export class WebhookNotFound extends StorageError {
  override readonly name = "ResourceNotFoundException";
}

/** A webhook name taken already (REST 409). */
export class WebhookAlreadyExists extends StorageError {
  override readonly name = "ResourceAlreadyExistsException";
}
