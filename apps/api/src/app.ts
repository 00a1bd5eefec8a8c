/**
 * The API service: the AWS Step Functions JSON protocol on `POST /` (and EventBridge's, told apart by
 * `X-Amz-Target`), the EventBridge Scheduler API on `/schedules`, `/schedule-groups` and `/tags`, a REST
 * API under `/v1` for humans and the console, and the probes every Stepwise HTTP process serves.
 */

import { consoleRouter } from "@stepwise/app-console/server";
import express, { type Express } from "express";
import type { ApiDependencies } from "./api-dependencies.ts";
import { createAwsRouter } from "./aws/router.ts";
import { createEventsRouter } from "./events/router.ts";
import { probesRouter } from "./probes.ts";
import { requestMetrics } from "./request-metrics.ts";
import { createRestRouter } from "./rest/router.ts";
import { createSchedulerRouter } from "./scheduler/router.ts";

export function createApiApp(deps: ApiDependencies): Express {
  const app = express();
  app.use(requestMetrics(deps.registry));
  app.disable("x-powered-by");
  app.use(probesRouter(deps));
  app.use("/v1", createRestRouter(deps));
  app.use("/console", consoleRouter({ logger: deps.runtime.logger })).get("/", (_req, res) => res.redirect("/console/"));
  app.use(createSchedulerRouter(deps));
  app.use(createEventsRouter(deps));
  app.use(createAwsRouter(deps));
  return app;
}
