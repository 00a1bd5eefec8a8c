/**
 * Retention periods, as `STEPWISE_EXECUTION_RETENTION` and the `stepwise:retention` state machine tag
 * write them: a whole number and a unit, `30s`, `15m`, `12h` or `90d`.
 */

/** The state machine tag that overrides `STEPWISE_EXECUTION_RETENTION` for that machine's executions. */
export const RETENTION_TAG = "stepwise:retention";

export const RETENTION_PERIOD_PATTERN = /^([1-9]\d{0,8})([smhd])$/;

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Milliseconds, or undefined when the text is not a retention period. */
export function parseRetentionPeriod(text: string): number | undefined {
  const match = RETENTION_PERIOD_PATTERN.exec(text);
  if (!match) return undefined;
  const [, amount, unit] = match as unknown as [string, string, keyof typeof UNIT_MS];
  return Number(amount) * UNIT_MS[unit];
}

/** What a value that does not parse is told. */
export const RETENTION_PERIOD_HINT = "a retention period is a whole number followed by s, m, h or d, such as 90d, 12h or 30s";
