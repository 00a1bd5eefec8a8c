/**
 * One measured workload on running workers: counters and peaks reset, the batch run, then what it
 * cost, in the worker processes and in the Postgres backends serving them.
 */
import type { BenchChild } from "./children.ts";
import type { BatchResult } from "./drive.ts";
import type { BenchEnvironment } from "./environment.ts";
import { CpuMeter } from "./proc-stats.ts";
import { type WorkerCounts, workerCounts } from "./worker-counts.ts";

export interface WorkloadMeasurement {
  batch: BatchResult;
  counts: WorkerCounts;
  /** Peak RSS of each worker process during the batch. */
  peakRssBytes: number[];
  workerCpuMs: number;
  postgresCpuMs: number;
  /** Starting the executions: the bench process (which also polls for the end) and its Postgres backends. */
  starterCpuMs: number;
}

export async function measureWorkload(
  env: BenchEnvironment,
  workers: readonly BenchChild[],
  run: () => Promise<BatchResult>,
): Promise<WorkloadMeasurement> {
  await Promise.all(workers.map((w) => w.request("resetCounts")));
  for (const w of workers) w.resetPeakRss();
  const workerPids = workers.map((w) => w.pid);
  const workerCpu = new CpuMeter(workerPids);
  const postgresCpu = new CpuMeter(await env.backendPids("workers"));
  const starterCpu = new CpuMeter([process.pid, ...(await env.backendPids("starter"))]);
  const batch = await run();
  return {
    batch,
    postgresCpuMs: postgresCpu.usedMs(await env.backendPids("workers")),
    starterCpuMs: starterCpu.usedMs([process.pid, ...(await env.backendPids("starter"))]),
    workerCpuMs: workerCpu.usedMs(workerPids),
    peakRssBytes: workers.map((w) => w.peakRssBytes()),
    counts: await workerCounts(workers),
  };
}
