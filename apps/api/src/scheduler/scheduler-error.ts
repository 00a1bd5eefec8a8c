/**
 * Errors of EventBridge Scheduler's REST-JSON protocol: the HTTP status AWS gives each, the code in the
 * `x-amzn-ErrorType` header, and `{"Message"}` in the body, which is what @aws-sdk/client-scheduler and
 * the CLI read.
 */
import { StorageError } from "@stepwise/storage";
import { ValidationException } from "@stepwise/triggers";
import { AccessDenied } from "../auth/scopes.ts";

const STATUS: Readonly<Record<string, number>> = {
  ValidationException: 400,
  ResourceNotFoundException: 404,
  ConflictException: 409,
  ServiceQuotaExceededException: 402,
  ThrottlingException: 429,
  AccessDeniedException: 403,
  InternalServerException: 500,
};

export class SchedulerError extends Error {
  readonly status: number;

  constructor(
    readonly code: string,
    message: string,
    status?: number,
  ) {
    super(message);
    this.status = status ?? STATUS[code] ?? 400;
  }
}

export const validation = (message: string) => new SchedulerError("ValidationException", message);

/** What a handler threw, as the error to answer with; a fault of the server is InternalServerException. */
export function toSchedulerError(error: unknown): SchedulerError {
  if (error instanceof SchedulerError) return error;
  if (error instanceof ValidationException) return validation(error.message);
  if (error instanceof AccessDenied) return new SchedulerError("AccessDeniedException", error.message);
  if (error instanceof StorageError && error.name === "InvalidToken") return validation("NextToken: invalid pagination token");
  if (error instanceof StorageError && STATUS[error.name] !== undefined) return new SchedulerError(error.name, error.message);
  return new SchedulerError("InternalServerException", "Unexpected error during processing of request.");
}
