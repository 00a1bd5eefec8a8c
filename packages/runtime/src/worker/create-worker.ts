/**
 * The worker SDK: register task handlers and run them (and state transitions) in this process.
 *
 *   const worker = await createWorker({ handlers: { charge: async (input, ctx) => ({ receipt: "r-1" }) } });
 *
 * Configuration comes from the environment (REDIS_URL, DATABASE_URL, STEPWISE_QUEUE_PREFIX, …).
 */
import { loadRuntimeConfig } from "../config.ts";
import { createRuntime, type Runtime } from "../runtime.ts";
import { startWorker, type WorkerProcess } from "./start-worker.ts";
import type { TaskHandler } from "./task-handler.ts";

export interface CreateWorkerOptions {
  handlers: Readonly<Record<string, TaskHandler>>;
  concurrency?: number;
  env?: Record<string, string | undefined>;
}

export async function createWorker(options: CreateWorkerOptions): Promise<WorkerProcess & { runtime: Runtime }> {
  const runtime = await createRuntime(loadRuntimeConfig(options.env ?? process.env), { name: "worker" });
  const worker = startWorker(runtime, { handlers: options.handlers, concurrency: options.concurrency });
  return {
    ...worker,
    runtime,
    close: async () => {
      await worker.close();
      await runtime.close();
    },
  };
}
