/**
 * The REST API under `/v1`: JSON for humans, scripts, the CLI and the console. Everything but the OpenAPI
 * document needs a bearer token (unless STEPWISE_AUTH=off on loopback).
 */
import express, { Router } from "express";
import type { ApiDependencies } from "../api-dependencies.ts";
import { bearerAuth } from "../auth/bearer.ts";
import { utf8Problem } from "../utf8-body.ts";
import { registerEventStreamRoute } from "./event-stream-route.ts";
import { registerExecutionRoutes } from "./execution-routes.ts";
import { registerMapRunRoutes } from "./map-run-routes.ts";
import { openApiDocument } from "./openapi.ts";
import { notFoundHandler, RestError, restErrorHandler } from "./rest-error.ts";
import { registerScopeChecks } from "./scope-checks.ts";
import { registerStateMachineRoutes } from "./state-machine-routes.ts";
import { registerTaskPollRoutes } from "./task-poll-routes.ts";
import { registerTaskRoutes } from "./task-routes.ts";
import { registerWebhookDeliveryRoute, registerWebhookRoutes } from "./webhook-routes.ts";

function refuseInvalidUtf8(_req: unknown, _res: unknown, body: Buffer): void {
  const problem = utf8Problem(body);
  if (problem) throw new RestError(400, "SerializationException", problem);
}

export function createRestRouter(deps: ApiDependencies): Router {
  const router = Router();
  router.get("/openapi.json", (_req, res) => {
    res.json(openApiDocument);
  });
  // Webhook senders hold the webhook's secret, not an API token: their route checks the signature instead.
  registerWebhookDeliveryRoute(router, deps);
  router.use(bearerAuth(deps.config));
  router.use(express.json({ limit: deps.config.STEPWISE_MAX_REQUEST_BYTES, verify: refuseInvalidUtf8 }));
  registerScopeChecks(router, deps);
  registerStateMachineRoutes(router, deps);
  registerExecutionRoutes(router, deps);
  registerMapRunRoutes(router, deps);
  registerEventStreamRoute(router, deps);
  registerTaskPollRoutes(router, deps);
  registerTaskRoutes(router, deps);
  registerWebhookRoutes(router, deps);
  router.use(notFoundHandler);
  router.use(restErrorHandler(deps.runtime.logger));
  return router;
}
