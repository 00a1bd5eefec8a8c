/** A scheduler process: durable timers, the reconciler, schedules and event deliveries. Several may run side by side. */

import { createMetrics, createRuntime, exitOnSignals, loadRuntimeConfig, startOpsServer, startScheduler } from "@stepwise/runtime";
import { eventMetrics, scheduleMetrics, startDeliveryRunner, startScheduleRunner } from "@stepwise/triggers";
import { schedulerEnvSchema } from "./config.ts";

const env = schedulerEnvSchema.parse(process.env);

const runtime = await createRuntime(loadRuntimeConfig(), { name: "scheduler" });
const metrics = createMetrics(runtime);
const ops = startOpsServer(runtime, metrics.registry, env.PORT);
const scheduler = startScheduler(runtime);
const schedules = startScheduleRunner(runtime, { observer: scheduleMetrics(metrics.registry) });
const eventDeliveries = startDeliveryRunner(runtime, { observer: eventMetrics(metrics.registry) });
runtime.logger.info({ port: env.PORT }, "scheduler started");
exitOnSignals(runtime.logger, async () => {
  ops.markDraining();
  await scheduler.close();
  await schedules.close();
  await eventDeliveries.close();
  await runtime.close();
  await ops.close();
});
