/**
 * EventBridge Scheduler's ValidationException, raised for every bad field of a schedule. The message
 * names the field first, so a caller knows what to fix.
 */
export class ValidationException extends Error {
  override readonly name = "ValidationException";

  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`${field}: ${detail}`);
  }
}
