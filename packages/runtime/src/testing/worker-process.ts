/**
 * A worker as its own OS process, for tests that kill workers. Its handlers count their runs in Redis
 * (`<prefix>:runs:<name>`) and tag results with the process id, so tests can see who did what.
 */
import { Redis } from "ioredis";
import { loadRuntimeConfig } from "../config.ts";
import { exitOnSignals } from "../ops/lifecycle.ts";
import { createRuntime } from "../runtime.ts";
import { startWorker } from "../worker/start-worker.ts";

const config = loadRuntimeConfig();
const redis = new Redis(config.REDIS_URL);
const runs = (name: string) => redis.incr(`${config.STEPWISE_QUEUE_PREFIX}:runs:${name}`);
const runtime = await createRuntime(config, { name: `worker-${process.pid}` });
const worker = startWorker(runtime, {
  handlers: {
    step: async (input) => {
      await runs("step");
      await new Promise((r) => setTimeout(r, 40));
      const value = input as { n: number; pids?: number[] };
      return { n: value.n + 1, pids: [...(value.pids ?? []), process.pid] };
    },
  },
});
exitOnSignals(runtime.logger, async () => {
  await worker.close();
  await runtime.close();
  redis.disconnect();
});
process.send?.("ready");
