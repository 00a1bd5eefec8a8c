/**
 * A soak in three phases against a running cluster: find the rate it sustains (closed-loop probe), hold a
 * share of that rate for a while (open loop), then stop and time how long the backlog takes to drain.
 * Then every execution is read back from Postgres and checked.
 */
import { performance } from "node:perf_hooks";
import { CreateStateMachineCommand } from "@aws-sdk/client-sfn";
import { executions } from "@stepwise/storage";
import { count, eq, inArray } from "drizzle-orm";
import { type ProbeOptions, probeCapacity } from "./capacity-probe.ts";
import { CompletionWatcher } from "./completion-watcher.ts";
import { ExecutionStarter, type StartedExecution } from "./execution-starter.ts";
import type { LoadCluster } from "./load-cluster.ts";
import { loadKinds } from "./load-workload.ts";
import { offerLoad } from "./open-loop.ts";
import { type FinishedExecution, type SoakReport, windowStats } from "./soak-report.ts";

export interface SoakOptions {
  probe: ProbeOptions;
  /** Share of the probed capacity the soak offers. */
  loadFraction: number;
  durationMs: number;
  /** Latency percentiles and memory samples are taken per window of this length. */
  windowMs: number;
  drainTimeoutMs: number;
}

/** StartExecution requests the API may have unanswered before the load waits for it. */
const MAX_PENDING_STARTS = 64;
const HANDLERS = ["step"];
const CHECK_BATCH = 500;

export async function runSoak(cluster: LoadCluster, options: SoakOptions, log: (line: string) => void): Promise<SoakReport> {
  const machines = await createMachines(cluster);
  const watcher = new CompletionWatcher(cluster.t.runtime.db);
  const probeStarter = new ExecutionStarter(cluster.sfn, loadKinds, machines, "probe");
  let probe: Awaited<ReturnType<typeof probeCapacity>>;
  try {
    probe = await probeCapacity(probeStarter, watcher, options.probe, log);
  } finally {
    await watcher.close();
  }
  const targetPerSecond = probe.capacity * options.loadFraction;
  log(`[load] soak at ${targetPerSecond.toFixed(1)} executions/s for ${options.durationMs / 1000} s`);

  const samples: SoakReport["samples"] = [{ atSeconds: 0, byProcess: await cluster.sample() }];
  const starter = new ExecutionStarter(cluster.sfn, loadKinds, machines, "soak");
  const sampleProcesses = async () => {
    const atSeconds = starter.now() / 1000;
    samples.push({ atSeconds, byProcess: await cluster.sample() });
  };
  const offered = await offerLoad(starter, {
    perSecond: targetPerSecond,
    durationMs: options.durationMs,
    maxPendingStarts: MAX_PENDING_STARTS,
    tickMs: options.windowMs,
    onTick: sampleProcesses,
  });
  await sampleProcesses();
  const { drainMs, pendingJobs } = await drain(cluster, options.drainTimeoutMs);
  log(`[load] drained in ${drainMs === undefined ? "(not in time)" : `${(drainMs / 1000).toFixed(1)} s`}`);

  const { finished, wrong } = await check(cluster, probeStarter.started, starter.started);
  return {
    probe,
    targetPerSecond,
    durationSeconds: options.durationMs / 1000,
    due: offered.due,
    sent: offered.sent,
    startErrors: [...probeStarter.errors, ...starter.errors],
    startsRetried: probeStarter.retried + starter.retried,
    wrong,
    executions: probeStarter.started.length + starter.started.length,
    windows: windowStats(finished, options.durationMs, options.windowMs),
    drainMs,
    pendingJobs,
    samples: samples.sort((a, b) => a.atSeconds - b.atSeconds),
  };
}

async function createMachines(cluster: LoadCluster): Promise<string[]> {
  return Promise.all(
    loadKinds.map(async (kind) => {
      const { stateMachineArn } = await cluster.sfn.send(
        new CreateStateMachineCommand({
          name: `load-${kind.name}`,
          definition: JSON.stringify(kind.definition),
          roleArn: "arn:aws:iam::123456789012:role/load",
        }),
      );
      return stateMachineArn as string;
    }),
  );
}

/** Waits until no execution is RUNNING and no job is waiting, active or delayed in any queue. */
async function drain(
  cluster: LoadCluster,
  timeoutMs: number,
): Promise<{ drainMs: number | undefined; pendingJobs: Record<string, number> }> {
  const started = performance.now();
  for (;;) {
    const [running] = await cluster.t.runtime.db.select({ n: count() }).from(executions).where(eq(executions.status, "RUNNING"));
    const pendingJobs = await cluster.pendingJobs(HANDLERS);
    const idle = running?.n === 0 && Object.values(pendingJobs).every((n) => n === 0);
    const elapsed = performance.now() - started;
    if (idle) return { drainMs: elapsed, pendingJobs };
    if (elapsed > timeoutMs) return { drainMs: undefined, pendingJobs: { ...pendingJobs, "executions RUNNING": running?.n ?? -1 } };
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Reads every execution back; the soak's ones (not the probe's) give the latency figures. */
async function check(
  cluster: LoadCluster,
  probed: readonly StartedExecution[],
  soaked: readonly StartedExecution[],
): Promise<{ finished: FinishedExecution[]; wrong: string[] }> {
  const finished: FinishedExecution[] = [];
  const wrong: string[] = [];
  const all = [...probed.map((s) => ({ s, soak: false })), ...soaked.map((s) => ({ s, soak: true }))];
  for (let i = 0; i < all.length; i += CHECK_BATCH) {
    const batch = all.slice(i, i + CHECK_BATCH);
    const rows = await cluster.t.runtime.db
      .select()
      .from(executions)
      .where(
        inArray(
          executions.arn,
          batch.map(({ s }) => s.executionArn),
        ),
      );
    const byArn = new Map(rows.map((row) => [row.arn, row]));
    for (const { s, soak } of batch) {
      const row = byArn.get(s.executionArn);
      const kind = loadKinds[s.kind];
      const problem =
        row?.status !== "SUCCEEDED"
          ? `${row?.status ?? "missing"} ${row?.error ?? ""} ${row?.cause ?? ""}`
          : kind?.checkOutput(JSON.parse(row.output ?? "null"));
      if (problem) wrong.push(`${s.executionArn} (${kind?.name}): ${problem}`);
      if (soak && row?.stopDate)
        finished.push({
          sentAtMs: s.sentAtMs,
          startRequestMs: s.requestMs,
          latencyMs: row.stopDate.getTime() - row.startDate.getTime(),
        });
    }
  }
  return { finished, wrong };
}
