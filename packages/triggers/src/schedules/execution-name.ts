import { createHash } from "node:crypto";

/**
 * The execution a schedule starts at a due time is named for that schedule and that due time, so however
 * many scheduler processes try, and however often one retries after a crash, StartExecution's
 * idempotency makes it one execution. The generation tells apart a schedule deleted and created again.
 * `<schedule name, ≤40>-<due time, to the second>-<hash>`: at most 68 characters of AWS's 80.
 */
export function scheduledExecutionName(schedule: { name: string; generation: string }, due: Date): string {
  const stamp = due
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
  const hash = createHash("sha256").update(`${schedule.generation}/${due.toISOString()}`).digest("hex").slice(0, 10);
  return `${schedule.name.slice(0, 40)}-${stamp}-${hash}`;
}
