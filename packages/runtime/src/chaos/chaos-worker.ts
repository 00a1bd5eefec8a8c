/**
 * A worker process for the chaos test. Each handler run appends a line to the file named by
 * CHAOS_RUNS_FILE: `<handler> <outcome> <task id> <pid>` (Redis counters would vanish with the Redis restarts
 * the test causes). A task id seen twice is a handler re-run.
 */
import { appendFileSync } from "node:fs";
import { loadRuntimeConfig } from "../config.ts";
import { exitOnSignals } from "../ops/lifecycle.ts";
import { createRuntime } from "../runtime.ts";
import { startWorker } from "../worker/start-worker.ts";
import { type TaskContext, TaskFailure } from "../worker/task-handler.ts";

const runsFile = process.env.CHAOS_RUNS_FILE;
if (!runsFile) throw new Error("CHAOS_RUNS_FILE is required");
const log = (handler: string, outcome: string, context: TaskContext) =>
  appendFileSync(runsFile, `${handler} ${outcome} ${context.taskId} ${process.pid}\n`);
const config = loadRuntimeConfig();
const runtime = await createRuntime(config, { name: `chaos-worker-${process.pid}` });

type Step = { n: number; pids?: number[] };
const advance = async (input: unknown) => {
  await new Promise((r) => setTimeout(r, 40));
  const value = input as Step;
  return { n: value.n + 1, pids: [...(value.pids ?? []), process.pid] };
};

const worker = startWorker(runtime, {
  handlers: {
    step: async (input, context) => {
      log("step", "ok", context);
      return advance(input);
    },
    // Fails a third of its runs, for Retry to absorb.
    flaky: async (input, context) => {
      if (Math.random() < 1 / 3) {
        log("flaky", "fail", context);
        throw new TaskFailure("Transient", "flaky handler failed on purpose");
      }
      log("flaky", "ok", context);
      return advance(input);
    },
    boom: async (_input, context) => {
      log("boom", "fail", context);
      throw new TaskFailure("Boom", "always fails, for Catch");
    },
  },
});
exitOnSignals(runtime.logger, async () => {
  await worker.close();
  await runtime.close();
});
process.send?.("ready");
