/**
 * Errors of the AWS JSON 1.0 protocol. The SDKs and the CLI read the error code from `__type`, keeping what
 * follows `#`, so the namespaces below are what AWS sends and what clients expect to strip.
 */

import { ExecutionNotRedrivable, InvalidExecutionInput, InvalidName, UnstorableText } from "@stepwise/runtime";
import { DuplicateHistoryEvent, isUnstorableText, StorageError } from "@stepwise/storage";
import { AccessDenied } from "../auth/scopes.ts";

/** Step Functions' own errors (StateMachineDoesNotExist, InvalidArn, ValidationException…). */
export const SERVICE_NAMESPACE = "com.amazonaws.swf.service.v2.model";
/** The AWS front end's errors (authentication, unknown operation, malformed request). */
export const CORAL_NAMESPACE = "com.amazon.coral.service";

export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly namespace = SERVICE_NAMESPACE,
  ) {
    super(message);
    this.name = code;
  }

  get body(): { __type: string; message: string } {
    return { __type: `${this.namespace}#${this.code}`, message: this.message };
  }
}

export const validationError = (message: string) => new AwsError("ValidationException", message);
export const invalidArn = (message: string) => new AwsError("InvalidArn", `Invalid Arn: '${message}'`);
export const coralError = (code: string, message: string, status = 400) => new AwsError(code, message, status, CORAL_NAMESPACE);

/** The Step Functions errors AWS answers with another status than 400. */
const HTTP_STATUS: Readonly<Record<string, number>> = { ConflictException: 409, ServiceQuotaExceededException: 402 };

/**
 * The AWS error for something a handler threw, or null when it is a fault of the server (answered 500).
 * Storage and engine errors already carry AWS's names and messages.
 */
export function toAwsError(error: unknown): AwsError | null {
  if (error instanceof AwsError) return error;
  // AWS's authorization failures come from its front end, not from Step Functions itself.
  if (error instanceof AccessDenied) return coralError(error.name, error.message);
  // A concurrent writer got there first: a transient server-side conflict, which clients retry.
  if (error instanceof DuplicateHistoryEvent) return null;
  if (
    error instanceof StorageError ||
    error instanceof InvalidExecutionInput ||
    error instanceof InvalidName ||
    error instanceof ExecutionNotRedrivable
  ) {
    return new AwsError(error.name, error.message, HTTP_STATUS[error.name] ?? 400);
  }
  if (isUnstorableText(error) || error instanceof UnstorableText) {
    return validationError("The request contains the character U+0000, which cannot be stored");
  }
  return null;
}

export function internalFailure(): AwsError {
  return coralError("InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", 500);
}
