/**
 * The API process: the AWS Step Functions API on `POST /`, the REST API under `/v1` and the probes.
 * It only reads and changes executions through the runtime; workers and schedulers run them.
 */
import { createServer, type Server } from "node:http";
import { createMetrics, createRuntime, exitOnSignals, loadRuntimeConfig } from "@stepwise/runtime";
import { createApiApp } from "./app.ts";
import { loadApiConfig } from "./config.ts";

/** In-flight requests get this long to finish on shutdown (long polls are cut; SDKs retry them elsewhere). */
const DRAIN_MS = 10_000;

const runtimeConfig = loadRuntimeConfig();
const apiConfig = loadApiConfig();
const runtime = await createRuntime(runtimeConfig, { name: "api", migrate: false });
const metrics = createMetrics(runtime);

const server = createServer(createApiApp({ runtime, config: apiConfig, registry: metrics.registry }));
await new Promise<void>((resolve, reject) => {
  server.once("error", reject);
  server.listen(apiConfig.PORT, apiConfig.HOST, () => {
    server.off("error", reject);
    resolve();
  });
});
runtime.logger.info({ host: apiConfig.HOST, port: apiConfig.PORT }, "api started");
if (apiConfig.STEPWISE_AUTH === "off") {
  runtime.logger.warn({ host: apiConfig.HOST }, "authentication is OFF: every request is accepted unsigned (loopback only)");
}

exitOnSignals(runtime.logger, async () => {
  await stopAccepting(server, DRAIN_MS);
  await runtime.close();
});

function stopAccepting(http: Server, drainMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => http.closeAllConnections(), drainMs);
    http.close(() => {
      clearTimeout(timer);
      resolve();
    });
    http.closeIdleConnections();
  });
}
