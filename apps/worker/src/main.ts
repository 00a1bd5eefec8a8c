/**
 * A worker process: runs state transitions and task handlers. Scale by running more of them.
 * Handlers come from the module named by STEPWISE_HANDLERS_MODULE (its `handlers` export), if any.
 */
import { pathToFileURL } from "node:url";
import { awsIntegrationHandler, loadIntegrationsConfig } from "@stepwise/integrations";
import { createObjectStorage, loadObjectStorageConfig } from "@stepwise/object-storage";
import {
  AWS_INTEGRATION_HANDLER,
  createMetrics,
  createRuntime,
  exitOnSignals,
  loadRuntimeConfig,
  startOpsServer,
  startWorker,
  type TaskHandler,
} from "@stepwise/runtime";
import { eventMetrics, localEventBus } from "@stepwise/triggers";
import { workerEnvSchema } from "./config.ts";

const env = workerEnvSchema.parse(process.env);

async function loadHandlers(module: string | undefined): Promise<Record<string, TaskHandler>> {
  if (!module) return {};
  const loaded = (await import(pathToFileURL(module).href)) as { handlers?: Record<string, TaskHandler> };
  if (!loaded.handlers) throw new Error(`${module} exports no 'handlers' object`);
  return loaded.handlers;
}

// Distributed Maps' ItemReader and ResultWriter: the S3-compatible store of AWS_ENDPOINT_URL_S3 (or AWS S3).
const datasets = createObjectStorage(loadObjectStorageConfig());
const runtime = await createRuntime(loadRuntimeConfig(), { name: "worker", datasets });
const metrics = createMetrics(runtime);
const ops = startOpsServer(runtime, metrics.registry, env.PORT);
// AWS service integrations: off unless STEPWISE_AWS_INTEGRATIONS enables services (docs/integrations.md);
// events:putEvents reaches this server's own event buses without it.
const integrations = awsIntegrationHandler(loadIntegrationsConfig(), {
  maxPayloadBytes: runtime.config.STEPWISE_MAX_PAYLOAD_BYTES,
  eventBus: localEventBus(runtime, eventMetrics(metrics.registry)),
});
const handlers = { [AWS_INTEGRATION_HANDLER]: integrations, ...(await loadHandlers(env.STEPWISE_HANDLERS_MODULE)) };
const worker = startWorker(runtime, { handlers });
runtime.logger.info({ port: env.PORT }, "worker started");
exitOnSignals(runtime.logger, async () => {
  ops.markDraining();
  await worker.close();
  integrations.close();
  await runtime.close();
  datasets.close();
  await ops.close();
});
