/**
 * `npm start`: the whole system in one process for local use — API (and console), worker and scheduler —
 * against REDIS_URL/DATABASE_URL, or private services it starts itself when none is configured.
 */
import { pathToFileURL } from "node:url";
import { createApiApp } from "@stepwise/app-api/app";
import { isLoopback, loadApiConfig } from "@stepwise/app-api/config";
import { awsIntegrationHandler, loadIntegrationsConfig } from "@stepwise/integrations";
import { createObjectStorage, loadObjectStorageConfig } from "@stepwise/object-storage";
import {
  AWS_INTEGRATION_HANDLER,
  createLogger,
  createMetrics,
  createRuntime,
  exitOnSignals,
  loadRuntimeConfig,
  runtimeConfigSchema,
  startScheduler,
  startWorker,
  type TaskHandler,
} from "@stepwise/runtime";
import { eventMetrics, localEventBus, scheduleMetrics, startDeliveryRunner, startScheduleRunner } from "@stepwise/triggers";
import { loadAllInOneEnv } from "./config.ts";
import { ensurePostgres, ensureRedis } from "./local-services.ts";

const own = loadAllInOneEnv();
const bootLogger = createLogger(runtimeConfigSchema.shape.LOG_LEVEL.parse(process.env.LOG_LEVEL), "stepwise");
const postgres = await ensurePostgres(own.DATABASE_URL, own.STEPWISE_DATA_DIR, bootLogger);
const redis = await ensureRedis(own.REDIS_URL, own.STEPWISE_DATA_DIR, bootLogger);
const env: Record<string, string | undefined> = { ...process.env, DATABASE_URL: postgres.url, REDIS_URL: redis.url };
// Locally, on loopback, the API may run open; it says so below.
if (env.STEPWISE_AUTH === undefined && isLoopback(env.HOST ?? "127.0.0.1")) env.STEPWISE_AUTH = "off";
const apiConfig = loadApiConfig(env);
// Distributed Maps' ItemReader and ResultWriter: the S3-compatible store of AWS_ENDPOINT_URL_S3 (or AWS S3).
const datasets = createObjectStorage(loadObjectStorageConfig(env));
const runtime = await createRuntime(loadRuntimeConfig(env), { migrate: true, name: "stepwise", datasets });

const handlersModule = own.STEPWISE_HANDLERS_MODULE;
const handlers: Record<string, TaskHandler> = handlersModule
  ? ((await import(pathToFileURL(handlersModule).href)) as { handlers: Record<string, TaskHandler> }).handlers
  : {};
const metrics = createMetrics(runtime);
// AWS service integrations: off unless STEPWISE_AWS_INTEGRATIONS enables services (docs/integrations.md);
// events:putEvents reaches this server's own event buses without it.
const integrations = awsIntegrationHandler(loadIntegrationsConfig(env), {
  maxPayloadBytes: runtime.config.STEPWISE_MAX_PAYLOAD_BYTES,
  eventBus: localEventBus(runtime, eventMetrics(metrics.registry)),
});
const worker = startWorker(runtime, { handlers: { [AWS_INTEGRATION_HANDLER]: integrations, ...handlers } });
const scheduler = startScheduler(runtime);
const schedules = startScheduleRunner(runtime, { observer: scheduleMetrics(metrics.registry) });
const eventDeliveries = startDeliveryRunner(runtime, { observer: eventMetrics(metrics.registry) });
const server = createApiApp({ runtime, config: apiConfig, registry: metrics.registry }).listen(apiConfig.PORT, apiConfig.HOST, () => {
  runtime.logger.info({ url: `http://${apiConfig.HOST}:${apiConfig.PORT}` }, "Stepwise is running (API, console, worker, scheduler)");
  if (apiConfig.STEPWISE_AUTH === "off") runtime.logger.warn("authentication is OFF: local mode on a loopback address only");
});

// Every step runs even if one before it failed (the embedded Postgres stops itself on the same signal),
// so the private services never outlive this process.
const shutdownSteps: Array<[string, () => Promise<unknown>]> = [
  ["http server", () => new Promise((resolve) => server.close(resolve))],
  ["worker", () => worker.close()],
  ["aws integrations", async () => integrations.close()],
  ["scheduler", () => scheduler.close()],
  ["schedules", () => schedules.close()],
  ["event deliveries", () => eventDeliveries.close()],
  ["runtime", () => runtime.close()],
  ["object storage", async () => datasets.close()],
  ["private redis-server", () => redis.stop()],
  ["embedded postgres", () => postgres.stop()],
];
exitOnSignals(runtime.logger, async () => {
  for (const [name, step] of shutdownSteps) {
    await step().catch((err: unknown) => runtime.logger.warn({ err, step: name }, "shutdown step failed"));
  }
});
