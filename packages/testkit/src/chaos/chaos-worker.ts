/**
 * A worker process for the chaos test, running the chaos handlers. It logs each handler run to
 * CHAOS_RUNS_FILE and hands callback tokens on through CHAOS_CALLBACKS_FILE.
 */
import { createRuntime, exitOnSignals, loadRuntimeConfig, startWorker } from "@stepwise/runtime";
import { appendCallback } from "./callback-log.ts";
import { chaosFiles } from "./chaos-files.ts";
import { chaosHandlers } from "./handlers.ts";
import { appendRun } from "./run-log.ts";

const files = chaosFiles();
const runtime = await createRuntime(loadRuntimeConfig(), { name: `chaos-worker-${process.pid}` });
const worker = startWorker(runtime, {
  handlers: chaosHandlers(
    (run) => appendRun(files.runs, run),
    (token, verdict) => appendCallback(files.callbacks, token, verdict),
  ),
});
exitOnSignals(runtime.logger, async () => {
  await worker.close();
  await runtime.close();
});
process.send?.("ready");
