/**
 * Errors of EventBridge's JSON 1.1 protocol: HTTP 400 (500 for the server's own faults) with
 * `{"__type": <code>, "message"}`, which @aws-sdk/client-eventbridge and the CLI read.
 */
import { StorageError } from "@stepwise/storage";
import { InvalidEventPattern, ValidationException } from "@stepwise/triggers";
import { AccessDenied } from "../auth/scopes.ts";

export class EventsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export const validation = (message: string) => new EventsError("ValidationException", message);

export function toEventsError(error: unknown): EventsError {
  if (error instanceof EventsError) return error;
  if (error instanceof ValidationException) return validation(error.message);
  if (error instanceof InvalidEventPattern) return new EventsError("InvalidEventPatternException", error.message);
  if (error instanceof AccessDenied) return new EventsError("AccessDeniedException", error.message);
  if (error instanceof StorageError && error.name === "InvalidToken") return validation("NextToken: invalid pagination token");
  if (error instanceof StorageError && (error.name === "ResourceNotFoundException" || error.name === "ResourceAlreadyExistsException")) {
    return new EventsError(error.name, error.message);
  }
  return new EventsError("InternalException", "An internal error occurred.", 500);
}
