import type { Retrier } from "../definition.ts";
import { StatesErrorName } from "../errors.ts";
import { errorMatches } from "./error-match.ts";

export const RETRY_DEFAULTS = { IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 } as const;

export interface RetryDecision {
  retrierIndex: number;
  /** Delay before the next attempt, in milliseconds. */
  delayMs: number;
}

/**
 * AWS evaluates retriers in order and uses the first whose ErrorEquals matches; if that retrier's
 * attempts are used up the error is not retried (a later retrier is not consulted). States.Runtime
 * is never retried.
 */
export function decideRetry(
  retriers: readonly Retrier[] | undefined,
  attempts: readonly number[],
  error: string | null,
  origin: "task" | "state",
  random: () => number,
): RetryDecision | null {
  if (!retriers || error === StatesErrorName.Runtime) return null;
  const index = retriers.findIndex((r) => errorMatches(r.ErrorEquals, error, origin));
  if (index < 0) return null;
  const retrier = retriers[index] as Retrier;
  const used = attempts[index] ?? 0;
  if (used >= (retrier.MaxAttempts ?? RETRY_DEFAULTS.MaxAttempts)) return null;
  return { retrierIndex: index, delayMs: retryDelayMs(retrier, used, random) };
}

export function retryDelayMs(retrier: Retrier, attemptsSoFar: number, random: () => number): number {
  const interval = retrier.IntervalSeconds ?? RETRY_DEFAULTS.IntervalSeconds;
  const backoff = retrier.BackoffRate ?? RETRY_DEFAULTS.BackoffRate;
  let seconds = interval * backoff ** attemptsSoFar;
  if (retrier.MaxDelaySeconds !== undefined) seconds = Math.min(seconds, retrier.MaxDelaySeconds);
  if (retrier.JitterStrategy === "FULL") seconds = random() * seconds;
  return Math.round(seconds * 1000);
}
