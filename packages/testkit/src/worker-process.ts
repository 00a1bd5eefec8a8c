/**
 * A worker as its own OS process, for tests that kill workers. Its handlers count their runs in Redis
 * (`<prefix>:runs:<name>`) and tag results with the process id, so tests can see who did what; `gate`
 * fails while the test holds a Redis key, so an execution can fail and then be redriven.
 */
import type { DatasetStore } from "@stepwise/asl";
import { createRuntime, exitOnSignals, loadRuntimeConfig, startWorker, TaskFailure } from "@stepwise/runtime";
import { Redis } from "ioredis";
import { MemoryDatasetStore } from "./memory-datasets.ts";

const config = loadRuntimeConfig();
const redis = new Redis(config.REDIS_URL);
const runs = (name: string) => redis.incr(`${config.STEPWISE_QUEUE_PREFIX}:runs:${name}`);
const runtime = await createRuntime(config, { name: `worker-${process.pid}`, datasets: testDatasets() });
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
/**
 * Objects from STEPWISE_TEST_DATASETS (`{"bucket/key": text}`); reads count in Redis (`runs:itemReader`),
 * and with STEPWISE_TEST_READ_HANGS=1 never end, as a read the worker dies in.
 */
function testDatasets(): DatasetStore {
  const store = new MemoryDatasetStore();
  for (const [path, text] of Object.entries(JSON.parse(process.env.STEPWISE_TEST_DATASETS ?? "{}") as Record<string, string>)) {
    store.put(path.slice(0, path.indexOf("/")), path.slice(path.indexOf("/") + 1), text);
  }
  const hangs = process.env.STEPWISE_TEST_READ_HANGS === "1";
  return {
    async *readItems(request) {
      await runs("itemReader");
      if (hangs) await new Promise(() => {});
      yield* store.readItems(request);
    },
    writeResults: (request, entries) => store.writeResults(request, entries),
  };
}

exitOnSignals(runtime.logger, async () => {
  await worker.close();
  await runtime.close();
  redis.disconnect();
});
process.send?.("ready");
