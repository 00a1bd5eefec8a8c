/**
 * A worker as its own OS process, for tests that kill workers. Its handlers count their runs in Redis
 * (`<prefix>:runs:<name>`) and tag results with the process id, so tests can see who did what; `gate`
 * fails while the test holds a Redis key, so an execution can fail and then be redriven.
 */
import { Redis } from "ioredis";
import { loadRuntimeConfig } from "../config.ts";
import { exitOnSignals } from "../ops/lifecycle.ts";
import { createRuntime } from "../runtime.ts";
import { startWorker } from "../worker/start-worker.ts";
import { TaskFailure } from "../worker/task-handler.ts";

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
    /** Fails while the test keeps `<prefix>:gate-closed` set; passes its input on otherwise. */
    gate: async (input) => {
      if (await redis.exists(`${config.STEPWISE_QUEUE_PREFIX}:gate-closed`))
        throw new TaskFailure("Gate.Closed", "the test keeps the gate closed");
      return input;
    },
  },
});
exitOnSignals(runtime.logger, async () => {
  await worker.close();
  await runtime.close();
  redis.disconnect();
});
process.send?.("ready");
