/**
 * The processes a load test runs against, as they run in production: the API app, worker apps and a
 * scheduler app, each its own OS process on loopback, on a fresh Postgres schema and a BullMQ prefix of
 * their own (from createTestRuntime, whose runtime the test keeps for its bookkeeping and removes after).
 */
import { fileURLToPath } from "node:url";
import { SFNClient } from "@aws-sdk/client-sfn";
import { type AppProcess, startApp } from "../app-process.ts";
import { parseSamples, sampleValue } from "../prometheus-text.ts";
import { createTestRuntime, type TestRuntime } from "../test-runtime.ts";

const handlersModule = fileURLToPath(new URL("./load-handlers.ts", import.meta.url));
const ACCESS_KEY_ID = "AKIDSTEPWISELOAD";
const SECRET_ACCESS_KEY = "stepwise-load-secret";
const STOP_GRACE_MS = 15_000;

export interface ClusterSize {
  workers: number;
  /** Jobs per queue each worker runs at once. */
  workerConcurrency: number;
  /** Postgres connections per worker; the API and the scheduler get fewer (Postgres is shared with other test runs). */
  workerPoolSize: number;
}

export interface ClusterProcess {
  /** `api`, `worker-1`, …, `scheduler`. */
  role: string;
  app: AppProcess;
}

export interface ProcessSample {
  rssBytes: number;
  heapUsedBytes: number;
  /** CPU time used since the process started (user and system). */
  cpuSeconds: number;
}

export interface LoadCluster {
  t: TestRuntime;
  processes: ClusterProcess[];
  /** An AWS SDK client of the API process, signing with a key the API accepts, with the SDK's default retries. */
  sfn: SFNClient;
  /** Processes that exited before `close`, with their exit code or signal (a crash under load). */
  exits: string[];
  /** Each running process's memory and CPU time as its own `/metrics` reports them. */
  sample(): Promise<Map<string, ProcessSample>>;
  /** Jobs not yet done in the runtime's queues (waiting, active, delayed, prioritized), by queue. */
  pendingJobs(handlers: readonly string[]): Promise<Record<string, number>>;
  close(): Promise<void>;
}

export async function startLoadCluster(size: ClusterSize): Promise<LoadCluster> {
  const t = await createTestRuntime({ STEPWISE_DB_POOL_SIZE: "2" });
  const processes: ClusterProcess[] = [];
  const exits: string[] = [];
  let closing = false;
  const stopAll = async () => {
    closing = true;
    await Promise.all(processes.map(({ app }) => stop(app)));
    await t.close();
  };
  try {
    await startProcesses(t, size, processes);
  } catch (error) {
    await stopAll();
    throw error;
  }
  for (const { role, app } of processes)
    void app.exited.then(({ code, signal }) => {
      if (!closing) exits.push(`${role} exited (${signal ?? code})`);
    });
  const api = processes[0] as ClusterProcess;
  const sfn = new SFNClient({
    endpoint: api.app.url,
    region: t.config.STEPWISE_REGION,
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY },
  });
  return {
    t,
    processes,
    sfn,
    exits,
    sample: async () => {
      const running = processes.filter(({ app }) => app.child.exitCode === null && app.child.signalCode === null);
      const samples = await Promise.all(running.map(async ({ app }) => parseSamples(await (await fetch(`${app.url}/metrics`)).text())));
      return new Map(
        running.map(({ role }, i) => {
          const value = (name: string) => sampleValue(samples[i] ?? [], name) ?? Number.NaN;
          return [
            role,
            {
              rssBytes: value("stepwise_process_resident_memory_bytes"),
              heapUsedBytes: value("stepwise_nodejs_heap_size_used_bytes"),
              cpuSeconds: value("stepwise_process_cpu_seconds_total"),
            },
          ];
        }),
      );
    },
    pendingJobs: async (handlers) => {
      const queues = [t.runtime.queues.transitions, t.runtime.queues.express, ...handlers.map((h) => t.runtime.queues.taskQueue(h))];
      const counts = await Promise.all(queues.map((q) => q.getJobCounts("waiting", "active", "delayed", "prioritized")));
      return Object.fromEntries(queues.map((q, i) => [q.name, Object.values(counts[i] ?? {}).reduce((a, b) => a + b, 0)]));
    },
    close: async () => {
      sfn.destroy();
      await stopAll();
    },
  };
}

/** Starts the API first in `processes`, then the workers, then the scheduler; those that started are there even if one failed. */
async function startProcesses(t: TestRuntime, size: ClusterSize, processes: ClusterProcess[]): Promise<void> {
  const base = {
    DATABASE_URL: t.config.DATABASE_URL,
    REDIS_URL: t.config.REDIS_URL,
    STEPWISE_QUEUE_PREFIX: t.config.STEPWISE_QUEUE_PREFIX,
    LOG_LEVEL: process.env.LOG_LEVEL ?? "error",
  };
  const started = await Promise.allSettled([
    startApp("apps/api/src/main.ts", {
      ...base,
      STEPWISE_DB_POOL_SIZE: "4",
      STEPWISE_ACCESS_KEYS: `${ACCESS_KEY_ID}:${SECRET_ACCESS_KEY}`,
    }),
    ...Array.from({ length: size.workers }, () =>
      startApp("apps/worker/src/main.ts", {
        ...base,
        STEPWISE_HANDLERS_MODULE: handlersModule,
        STEPWISE_WORKER_CONCURRENCY: String(size.workerConcurrency),
        STEPWISE_DB_POOL_SIZE: String(size.workerPoolSize),
      }),
    ),
    startApp("apps/scheduler/src/main.ts", { ...base, STEPWISE_DB_POOL_SIZE: "2" }),
  ]);
  started.forEach((result, i) => {
    if (result.status !== "fulfilled") return;
    const role = i === 0 ? "api" : i === started.length - 1 ? "scheduler" : `worker-${i}`;
    processes.push({ role, app: result.value });
  });
  const failed = started.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}

/** SIGTERM, as an orchestrator stops a process; SIGKILL if it has not exited after a grace period. */
async function stop(app: AppProcess): Promise<void> {
  const timer = setTimeout(() => app.kill(), STOP_GRACE_MS);
  app.child.kill("SIGTERM");
  await app.exited;
  clearTimeout(timer);
}
