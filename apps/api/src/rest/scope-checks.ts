/**
 * The scope check of every REST route that names a state machine (`:name`), an execution (`:arn`, the
 * event stream included), a Map Run (`:mapRunArn`), or a task token or remote worker's lease (`:token`).
 * The router runs it for the parameter before any route that has one, so no such route can leave it out.
 */
import { decodeLease, isLeaseToken, stateMachineArn } from "@stepwise/runtime";
import type { Request, RequestParamHandler, Router } from "express";
import type { ApiDependencies } from "../api-dependencies.ts";
import { accessOf } from "../auth/bearer.ts";
import type { ResourceRef } from "../auth/scopes.ts";
import { arnContext } from "./state-machine-routes.ts";

/** How refusals name a REST request: its method and route, e.g. `GET /v1/executions/:arn`. */
export function restAction(req: Request): string {
  return `${req.method} ${req.baseUrl}${req.route?.path ?? req.path}`;
}

export function registerScopeChecks(router: Router, deps: ApiDependencies): void {
  const check =
    (named: (value: string) => ResourceRef): RequestParamHandler =>
    async (req, res, next, value: string) => {
      await accessOf(res).require(deps.runtime.db, restAction(req), [named(value)]);
      next();
    };
  router.param(
    "name",
    check((name) => ({ arn: stateMachineArn(arnContext(deps), name) })),
  );
  router.param(
    "arn",
    check((arn) => ({ arn })),
  );
  router.param(
    "mapRunArn",
    check((arn) => ({ arn })),
  );
  const taskTokenCheck = check((taskToken) => ({ taskToken }));
  router.param("token", async (req, res, next, value: string) => {
    if (!isLeaseToken(value)) return taskTokenCheck(req, res, next, value, "token");
    // A remote worker's lease belongs to the handler it was polled for.
    accessOf(res).requireHandlers(restAction(req), [decodeLease(value).handler]);
    next();
  });
}
