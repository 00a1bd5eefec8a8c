/** A scheduler as its own OS process, for tests that kill schedulers. */
import { createRuntime, exitOnSignals, loadRuntimeConfig, startScheduler } from "@stepwise/runtime";

const config = loadRuntimeConfig();
const runtime = await createRuntime(config, { name: `scheduler-${process.pid}` });
const scheduler = startScheduler(runtime, { timerGraceMs: 300 });
exitOnSignals(runtime.logger, async () => {
  await scheduler.close();
  await runtime.close();
});
process.send?.("ready");
