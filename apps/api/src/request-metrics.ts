/**
 * Times every API request into `stepwise_api_request_duration_seconds{action,status}`. The action is the
 * AWS operation for `POST /` (only known ones: a client's made-up target must not create a series), the
 * route pattern for REST calls (`GET /v1/executions/:executionArn`, never the ARN itself), the mount
 * path for middleware without routes (`GET /console/*`), `(unmatched)` for anything else no route handled
 * and `(error)` for an error no router answered.
 */

import { apiRequestDuration } from "@stepwise/runtime";
import type { Request, RequestHandler } from "express";
import type { Registry } from "prom-client";
import { ACTIONS, TARGET_PREFIX } from "./aws/actions.ts";

export function requestMetrics(registry: Registry): RequestHandler {
  const duration = apiRequestDuration(registry);
  return (req, res, next) => {
    const started = performance.now();
    // Read before routing: routers rewrite req.url and req.baseUrl as they descend.
    const awsAction = req.method === "POST" && req.path === "/" ? awsActionOf(req.get("x-amz-target")) : undefined;
    res.once("close", () => {
      const action = awsAction ?? routeOf(req);
      const status = res.writableFinished ? String(res.statusCode) : "aborted";
      duration.observe({ action, status }, (performance.now() - started) / 1000);
    });
    next();
  };
}

export function awsActionOf(target: string | undefined): string {
  const name = target?.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
  return name !== undefined && ACTIONS.has(name) ? name : "unknown";
}

function routeOf(req: Request): string {
  const route = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof route === "string") {
    // Express clears the mount path when an error escapes every router; the route alone would mislead.
    return req.baseUrl === undefined ? `${req.method} (error)` : `${req.method} ${req.baseUrl}${route}`;
  }
  // Middleware under a mount path (the console's static files, a router's not-found handler).
  return req.baseUrl ? `${req.method} ${req.baseUrl}/*` : `${req.method} (unmatched)`;
}
