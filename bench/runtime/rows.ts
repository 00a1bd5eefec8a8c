/** The runtime suite's rows: what a workload measured, as throughput, latency and cost. */
import { perSecond } from "../measure.ts";
import type { Row } from "../suite.ts";
import type { FloorResult } from "./floor.ts";
import type { WorkloadMeasurement } from "./measure-workload.ts";

const ms = (value: number) => `${value.toFixed(0)} ms`;
const mb = (bytes: number) => (bytes / (1024 * 1024)).toFixed(0);
const micros = (totalMs: number, count: number) => (totalMs * 1000) / count;

/** Executions/s, the workload's own rate (states/s, items/s) and latency under load. */
export function throughputRows(
  benchmark: string,
  subject: string,
  m: WorkloadMeasurement,
  per: { count: number; unit: string },
  scaleNote: string,
): Row[] {
  const { batch } = m;
  return [
    {
      benchmark,
      subject,
      value: perSecond(batch.executions, batch.wallMs),
      unit: "executions/s",
      note: `${batch.executions} started back to back, all done ${ms(batch.wallMs)} after the first start${scaleNote}`,
    },
    {
      benchmark,
      subject,
      value: perSecond(per.count, batch.wallMs),
      unit: per.unit,
      note: `${per.count} ${per.unit.replace("/s", "")}; ${batch.events} history events persisted (${perSecond(batch.events, batch.wallMs).toFixed(0)}/s)`,
    },
    {
      benchmark,
      subject,
      value: batch.latencyP50Ms,
      unit: "ms latency p50",
      note: "start_date → stop_date with every execution queued at once",
    },
    { benchmark, subject, value: batch.latencyP99Ms, unit: "ms latency p99" },
  ];
}

/** Memory, CPU and Postgres statements: where the time goes. `states` is what CPU is divided by. */
export function costRows(benchmark: string, subject: string, m: WorkloadMeasurement, states: number): Row[] {
  const { counts, batch } = m;
  const total = m.workerCpuMs + m.postgresCpuMs;
  return [
    {
      benchmark,
      subject,
      value: Math.max(...m.peakRssBytes) / (1024 * 1024),
      unit: "MB peak RSS",
      note: `VmHWM of each worker process: ${m.peakRssBytes.map(mb).join(", ")} MB`,
    },
    {
      benchmark,
      subject,
      value: micros(total, states),
      unit: "CPU µs/state",
      note:
        `workers ${micros(m.workerCpuMs, states).toFixed(0)} + their Postgres backends ${micros(m.postgresCpuMs, states).toFixed(0)} µs; ` +
        `not counted: Redis, and starting the executions (bench process and its backends, ${micros(m.starterCpuMs, states).toFixed(0)} µs)`,
    },
    {
      benchmark,
      subject,
      value: counts.statements / counts.transactions,
      unit: "statements/transaction",
      note:
        `all worker statements (some run outside a transaction) ÷ transactions; ${(counts.transactions / batch.executions).toFixed(1)} transactions/execution; ` +
        `statements per execution: ${counts.top(batch.executions)}`,
    },
    {
      benchmark,
      subject,
      value: counts.transactionMs / counts.transactions,
      unit: "ms/transaction",
      note: `BEGIN to COMMIT, mean; slowest statements (mean, waits for locks and pool connections included): ${counts.slowest()}`,
    },
  ];
}

export function floorRows(benchmark: string, subject: string, floor: FloorResult, concurrency: number, scaleNote: string): Row[] {
  return [
    {
      benchmark,
      subject,
      value: perSecond(floor.jobs, floor.wallMs),
      unit: "jobs/s",
      note: `${floor.chains} chains started at once, ${floor.jobs} jobs done in ${ms(floor.wallMs)}${scaleNote}; concurrency ${concurrency} per process`,
    },
    {
      benchmark,
      subject,
      value: micros(floor.workerCpuMs, floor.jobs),
      unit: "CPU µs/job",
      note: "worker processes only (Redis not counted)",
    },
  ];
}
