/**
 * A Stepwise worker as its own OS process for the runtime bench: transitions plus one no-op handler
 * (`noop` returns its input). It counts its Postgres statements and hands them over when asked, over
 * the IPC channel its parent opened (see children.ts). Configured by the environment, like any worker.
 */
import { createObjectStorage, loadObjectStorageConfig } from "../../packages/object-storage/src/index.ts";
import { createRuntime, exitOnSignals, loadRuntimeConfig, startWorker } from "../../packages/runtime/src/index.ts";
import type { ChildReply, ChildRequest } from "./children.ts";
import { installQueryCounter, queryCounts, resetQueryCounts } from "./query-counter.ts";

installQueryCounter();
const config = loadRuntimeConfig();
// The batch suite's distributed Maps read and write through the S3-compatible store it started.
const datasets = process.env.AWS_ENDPOINT_URL_S3 ? createObjectStorage(loadObjectStorageConfig()) : undefined;
const runtime = await createRuntime(config, { name: `bench-worker-${process.pid}`, ...(datasets ? { datasets } : {}) });
const worker = startWorker(runtime, { handlers: { noop: (input) => input } });

process.on("message", (request: ChildRequest) => {
  if (request.type === "resetCounts") resetQueryCounts();
  const reply: ChildReply = { id: request.id, queries: queryCounts() };
  process.send?.(reply);
});

exitOnSignals(runtime.logger, async () => {
  await worker.close();
  await runtime.close();
  datasets?.close();
});
// The bench died without stopping us: leave as if told to.
process.on("disconnect", () => process.kill(process.pid, "SIGTERM"));
process.send?.("ready");
