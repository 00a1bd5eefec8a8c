/**
 * A real runtime for tests: a fresh Postgres schema and a unique BullMQ prefix per test file, so files
 * run in parallel and leave nothing behind.
 */
import { randomUUID } from "node:crypto";
import type { HistoryEvent, StateMachineDefinition } from "@stepwise/asl";
import {
  createRuntime,
  loadRuntimeConfig,
  type Runtime,
  type RuntimeConfig,
  type RuntimeOptions,
  type SchedulerOptions,
  type SchedulerProcess,
  type StartWorkerOptions,
  startScheduler,
  startWorker,
  stateMachineArn,
  type WorkerProcess,
} from "@stepwise/runtime";
import { createStateMachine, type ExecutionRecord, getExecution, getHistory, listTaskTokens, listThreads } from "@stepwise/storage";
import { Redis } from "ioredis";
import { createTestDatabase } from "./database.ts";
import { historyShapeProblem } from "./history-shape.ts";

export interface TestRuntime {
  runtime: Runtime;
  config: RuntimeConfig;
  worker(options?: StartWorkerOptions): WorkerProcess;
  scheduler(options?: SchedulerOptions): SchedulerProcess;
  createMachine(definition: StateMachineDefinition, name?: string, type?: "STANDARD" | "EXPRESS"): Promise<string>;
  /** Starts an execution and waits until it is no longer RUNNING. */
  run(machineArn: string, input?: unknown, timeoutMs?: number): Promise<{ execution: ExecutionRecord; history: HistoryEvent[] }>;
  waitFor(executionArn: string, timeoutMs?: number): Promise<{ execution: ExecutionRecord; history: HistoryEvent[] }>;
  close(): Promise<void>;
}

export async function createTestRuntime(
  env: Record<string, string> = {},
  options: Pick<RuntimeOptions, "datasets"> = {},
): Promise<TestRuntime> {
  const database = await createTestDatabase();
  const prefix = `stepwise-test-${randomUUID().slice(0, 8)}`;
  const config = loadRuntimeConfig({
    ...process.env,
    DATABASE_URL: database.url,
    STEPWISE_QUEUE_PREFIX: prefix,
    LOG_LEVEL: process.env.LOG_LEVEL ?? "silent",
    STEPWISE_SCHEDULER_POLL_MS: "100",
    STEPWISE_RECONCILE_AFTER_MS: "2000",
    // Test files run in parallel against one Postgres (100 connections by default).
    STEPWISE_DB_POOL_SIZE: "5",
    ...env,
  });
  const runtime = await createRuntime(config, { name: "test", ...options });
  // Tests end without a grace period: a handler still running is abandoned, not awaited.
  const processes: Array<{ close(force?: boolean): Promise<void> }> = [];
  const waitFor = async (executionArn: string, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const execution = await getExecution(runtime.db, executionArn);
      if (execution.status !== "RUNNING") return { execution, history: await getHistory(runtime.db, executionArn) };
      if (Date.now() > deadline) {
        const threads = (await listThreads(runtime.db, executionArn)).map((r) => ({
          id: r.threadId,
          status: r.status,
          version: r.version,
          phase: (r.position as { phase?: string }).phase,
          fan: r.threadId === "" ? (r.position as { fanOut?: unknown }).fanOut : undefined,
          updatedAt: r.updatedAt,
        }));
        const history = (await getHistory(runtime.db, executionArn)).slice(-4).map((e) => e.type);
        const tasks = [];
        for (const token of await listTaskTokens(runtime.db, executionArn)) {
          const job = token.input
            ? await runtime.queues.taskQueue((JSON.parse(token.input) as { handler?: string }).handler ?? "?").getJob(token.token)
            : undefined;
          tasks.push({
            status: token.status,
            job: job ? await job.getState() : "none",
            attempts: job?.attemptsMade,
            stalled: job?.stalledCounter,
            reason: job?.failedReason,
          });
        }
        throw new Error(
          `Execution ${executionArn} still RUNNING after ${timeoutMs} ms: threads ${JSON.stringify(threads)}, tasks ${JSON.stringify(tasks)}, last events ${history}`,
        );
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  return {
    runtime,
    config,
    worker: (options) => {
      const w = startWorker(runtime, { concurrency: 8, ...options });
      processes.push(w);
      return w;
    },
    scheduler: (options) => {
      const s = startScheduler(runtime, { timerGraceMs: 300, ...options });
      processes.push(s);
      return s;
    },
    createMachine: async (definition, name = `sm-${randomUUID().slice(0, 8)}`, type = "STANDARD") => {
      const arn = stateMachineArn({ region: config.STEPWISE_REGION, accountId: config.STEPWISE_ACCOUNT_ID }, name);
      await createStateMachine(runtime.db, {
        arn,
        name,
        definition: JSON.stringify(definition),
        roleArn: "arn:aws:iam::123456789012:role/test",
        type,
      });
      return arn;
    },
    run: async (machineArn, input = {}, timeoutMs) => {
      const started = await runtime.engine.start({ stateMachineArn: machineArn, input: JSON.stringify(input) });
      return waitFor(started.executionArn, timeoutMs);
    },
    waitFor,
    close: async () => {
      for (const p of processes.reverse()) await p.close(true);
      await runtime.close();
      await deleteQueueKeys(config.REDIS_URL, prefix);
      await database.drop();
    },
  };
}

/** Deletes every Redis key under `prefix:` (a test's or a benchmark's queues). */
export async function deleteQueueKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

export function eventTypes(history: readonly HistoryEvent[]): string[] {
  return history.map((e) => e.type);
}

/** Throws unless the history has the shape any history must have (see history-shape.ts). */
export function assertWellFormedHistory(history: readonly HistoryEvent[]): void {
  const problem = historyShapeProblem(history);
  if (problem) throw new Error(`malformed history: ${problem}`);
}
