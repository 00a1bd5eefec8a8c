/** A scheduler as its own OS process, for tests that kill schedulers. */
import { loadRuntimeConfig } from "../config.ts";
import { exitOnSignals } from "../ops/lifecycle.ts";
import { createRuntime } from "../runtime.ts";
import { startScheduler } from "../scheduler/start-scheduler.ts";

const config = loadRuntimeConfig();
const runtime = await createRuntime(config, { name: `scheduler-${process.pid}` });
const scheduler = startScheduler(runtime, { timerGraceMs: 300 });
exitOnSignals(runtime.logger, async () => {
  await scheduler.close();
  await runtime.close();
});
process.send?.("ready");
