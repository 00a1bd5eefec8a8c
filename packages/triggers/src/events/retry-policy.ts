/** AWS's defaults for a target's RetryPolicy: 24 hours, 185 attempts. */
export const DEFAULT_EVENT_MAXIMUM_AGE_SECONDS = 86_400;
export const DEFAULT_EVENT_RETRY_ATTEMPTS = 185;

/** Errors a new attempt would meet again: the delivery fails at once. */
export const PERMANENT_START_ERRORS = new Set([
  "StateMachineDoesNotExist",
  "InvalidExecutionInput",
  "InvalidName",
  "ValidationException",
  "UnstorableText",
  "InvalidArn",
]);

/** The wait before attempt `attempts + 1`: exponential, at most a minute. */
export const retryDelayMs = (attempts: number) => Math.min(60_000, 1000 * 2 ** Math.min(attempts, 6));
