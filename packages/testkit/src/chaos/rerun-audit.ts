/**
 * At-least-once allows a handler to run again only when a fault took away the first run's outcome or
 * its job. Each repeated run of a task attempt is put down to the fault that explains it, or reported:
 * - the worker that ran it before was SIGKILLed, or crashed, after that run began;
 * - Redis was restarted or flushed, or Postgres restarted, between that run and this one.
 * A scheduler kill explains nothing: schedulers do not run handlers.
 */
import type { InjectedFault } from "./fault-driver.ts";
import type { Crash } from "./process-pool.ts";
import type { LoggedRun } from "./run-log.ts";

/** A connection broken by a restart may only fail a worker's next query, a moment after the restart. */
const AFTERMATH_MS = 2000;

export type RerunCause = "worker killed" | "worker crashed" | "redis restarted" | "redis flushed" | "postgres restarted";

export interface RerunAudit {
  reruns: number;
  byCause: Partial<Record<RerunCause, number>>;
  /** Repeated runs no fault explains: `<handler> <task id>: runs at ...`. */
  unexplained: string[];
}

const SERVICE_CAUSES: Partial<Record<InjectedFault["kind"], RerunCause>> = {
  "restart-redis": "redis restarted",
  "flush-redis": "redis flushed",
  "restart-postgres": "postgres restarted",
};

function cause(before: LoggedRun, again: LoggedRun, faults: readonly InjectedFault[], crashes: readonly Crash[]): RerunCause | undefined {
  const between = (at: number) => at >= before.at && at <= again.at;
  if (faults.some((f) => f.kind === "kill-worker" && f.victim === before.pid && between(f.began))) return "worker killed";
  if (crashes.some((c) => c.pid === before.pid && between(c.at))) return "worker crashed";
  const during = faults.find((f) => SERVICE_CAUSES[f.kind] && f.began <= again.at && f.ended + AFTERMATH_MS >= before.at);
  return during ? SERVICE_CAUSES[during.kind] : undefined;
}

export function auditReruns(
  byTask: ReadonlyMap<string, readonly LoggedRun[]>,
  faults: readonly InjectedFault[],
  crashes: readonly Crash[],
): RerunAudit {
  const audit: RerunAudit = { reruns: 0, byCause: {}, unexplained: [] };
  for (const [taskId, runs] of byTask) {
    for (let i = 1; i < runs.length; i++) {
      audit.reruns++;
      const why = cause(runs[i - 1] as LoggedRun, runs[i] as LoggedRun, faults, crashes);
      if (why) audit.byCause[why] = (audit.byCause[why] ?? 0) + 1;
      else
        audit.unexplained.push(
          `${runs[0]?.handler} ${taskId}: runs at ${runs.map((r) => `${new Date(r.at).toISOString().slice(11, 23)} pid ${r.pid}`).join(", ")}`,
        );
    }
  }
  return audit;
}
