/** The figures of a soak, per time window and per process, and the table the test prints. */

import type { ProbeResult } from "./capacity-probe.ts";
import type { ProcessSample } from "./load-cluster.ts";

/** One execution of the soak, as it ended. */
export interface FinishedExecution {
  /** When StartExecution was sent, ms since the soak began. */
  sentAtMs: number;
  startRequestMs: number;
  /** Stop date minus start date, as Postgres recorded them. */
  latencyMs: number;
}

export interface WindowStats {
  fromSeconds: number;
  toSeconds: number;
  started: number;
  startRequestP50Ms: number;
  startRequestP99Ms: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  latencyP99Ms: number;
}

export interface SoakReport {
  probe: ProbeResult;
  targetPerSecond: number;
  durationSeconds: number;
  due: number;
  sent: number;
  startErrors: string[];
  /** StartExecution calls the SDK had to retry (idempotent: the executions are named). */
  startsRetried: number;
  /** Executions (probe's and soak's) not SUCCEEDED with the right output, with why. */
  wrong: string[];
  executions: number;
  windows: WindowStats[];
  /** From the end of the load until no execution ran and no job waited; undefined if that did not happen in time. */
  drainMs: number | undefined;
  /** Jobs left in each queue when draining ended (or gave up). */
  pendingJobs: Record<string, number>;
  /** Each process when the soak began (after the probe warmed it up), then every window, then when the load stopped. */
  samples: Array<{ atSeconds: number; byProcess: Map<string, ProcessSample> }>;
}

/** Nearest-rank percentile; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

/** Executions grouped by when they were started, `windowMs` at a time; a last, shorter window joins the one before. */
export function windowStats(finished: readonly FinishedExecution[], durationMs: number, windowMs: number): WindowStats[] {
  const count = Math.max(1, Math.floor(durationMs / windowMs));
  return Array.from({ length: count }, (_, w) => {
    const from = w * windowMs;
    const to = w === count - 1 ? Number.POSITIVE_INFINITY : from + windowMs;
    const inWindow = finished.filter((e) => e.sentAtMs >= from && e.sentAtMs < to);
    const latency = inWindow.map((e) => e.latencyMs);
    const request = inWindow.map((e) => e.startRequestMs);
    return {
      fromSeconds: from / 1000,
      toSeconds: (w === count - 1 ? durationMs : from + windowMs) / 1000,
      started: inWindow.length,
      startRequestP50Ms: percentile(request, 50),
      startRequestP99Ms: percentile(request, 99),
      latencyP50Ms: percentile(latency, 50),
      latencyP95Ms: percentile(latency, 95),
      latencyP99Ms: percentile(latency, 99),
    };
  });
}

const mb = (bytes: number | undefined) => (bytes === undefined ? "?" : (bytes / 2 ** 20).toFixed(0));
const ms = (value: number) => value.toFixed(0);

export function formatReport(report: SoakReport): string[] {
  const lines = [
    `probe (closed loop): ${report.probe.steps.map((s) => `${s.inFlight} in flight ${s.perSecond.toFixed(1)}/s`).join(", ")}`,
    `capacity ${report.probe.capacity.toFixed(1)} executions/s; soak target ${report.targetPerSecond.toFixed(1)}/s for ${report.durationSeconds} s`,
    `StartExecution sent ${report.sent} of ${report.due} due (${(report.sent / report.durationSeconds).toFixed(1)}/s), ${report.startsRetried} retried by the SDK, ${report.startErrors.length} failed`,
    `executions checked ${report.executions}, wrong ${report.wrong.length}`,
    `drain ${report.drainMs === undefined ? "did not finish" : `${(report.drainMs / 1000).toFixed(1)} s`}; jobs left ${JSON.stringify(report.pendingJobs)}`,
    "",
    "  window (s)   started  start p50/p99 ms   execution p50 / p95 / p99 ms",
    ...report.windows.map(
      (w) =>
        `  ${`${w.fromSeconds}-${w.toSeconds}`.padEnd(11)}  ${String(w.started).padStart(7)}  ${`${ms(w.startRequestP50Ms)} / ${ms(w.startRequestP99Ms)}`.padStart(15)}   ${ms(w.latencyP50Ms)} / ${ms(w.latencyP95Ms)} / ${ms(w.latencyP99Ms)}`,
    ),
    "",
    `  process    CPU cores used; RSS (heap used) MB at ${report.samples.map((m) => `${m.atSeconds.toFixed(0)} s`).join(", ")}`,
  ];
  const [first, last] = [report.samples[0], report.samples.at(-1)];
  const seconds = (last?.atSeconds ?? 0) - (first?.atSeconds ?? 0);
  for (const role of first?.byProcess.keys() ?? []) {
    const cpu = ((last?.byProcess.get(role)?.cpuSeconds ?? 0) - (first?.byProcess.get(role)?.cpuSeconds ?? 0)) / seconds;
    const cells = report.samples.map((m) => `${mb(m.byProcess.get(role)?.rssBytes)} (${mb(m.byProcess.get(role)?.heapUsedBytes)})`);
    lines.push(`  ${role.padEnd(10)} ${cpu.toFixed(2).padStart(4)}; ${cells.join("  ")}`);
  }
  for (const problem of [...report.startErrors, ...report.wrong].slice(0, 10)) lines.push(`  ! ${problem}`);
  return lines;
}
