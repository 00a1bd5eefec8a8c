/**
 * The worker SDK: register task handlers and run them (and state transitions) in this process.
 *
 *   const worker = await createWorker({ handlers: { charge: async (input, ctx) => ({ receipt: "r-1" }) } });
 *
 * Configuration comes from the environment (REDIS_URL, DATABASE_URL, STEPWISE_QUEUE_PREFIX, …).
 */
import { loadRuntimeConfig } from "../config.ts";
import { createRuntime, type Runtime, type RuntimeOptions } from "../runtime.ts";
import { startWorker, type WorkerProcess } from "./start-worker.ts";
import type { TaskHandler } from "./task-handler.ts";

export interface CreateWorkerOptions {
  handlers: Readonly<Record<string, TaskHandler>>;
  concurrency?: number;
  env?: Record<string, string | undefined>;
  /** The object store of distributed Maps' ItemReader and ResultWriter (e.g. `@stepwise/object-storage`'s). */
  datasets?: RuntimeOptions["datasets"];
}

export async function createWorker(options: CreateWorkerOptions): Promise<WorkerProcess & { runtime: Runtime }> {
  const runtime = await createRuntime(loadRuntimeConfig(options.env ?? process.env), {
    name: "worker",
    ...(options.datasets ? { datasets: options.datasets } : {}),
  });
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
