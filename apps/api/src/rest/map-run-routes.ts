/**
 * Map Runs of distributed Map states: an execution's runs, one run with its limits and item counts, and
 * the run's child workflow executions (newest first, by status, in pages), as the console shows them.
 */
import { getMapRun, listExecutions, listMapRuns } from "@stepwise/storage";
import type { Router } from "express";
import type { ApiDependencies } from "../api-dependencies.ts";
import { executionArnParam, queryPage, queryStatus } from "./request-input.ts";
import { RestError } from "./rest-error.ts";
import { executionSummaryView, mapRunSummaryView, mapRunView } from "./views.ts";

/** The Map Run ARN of the `:mapRunArn` path parameter (URL-decoded by the router). */
function mapRunArnParam(arn: string): string {
  if (!/^arn:aws:states:[a-z0-9-]+:\d{12}:mapRun:[^/]+\/.+:[^:]+$/.test(arn))
    throw new RestError(400, "InvalidArn", `Invalid Arn: '${arn}'`);
  return arn;
}

export function registerMapRunRoutes(router: Router, deps: ApiDependencies): void {
  const { db } = deps.runtime;

  router.get("/executions/:arn/map-runs", async (req, res) => {
    const runs = await listMapRuns(db, executionArnParam(req));
    res.json({ mapRuns: runs.map(mapRunSummaryView) });
  });

  router.get("/map-runs/:mapRunArn", async (req, res) => {
    res.json(mapRunView(await getMapRun(db, mapRunArnParam(String(req.params.mapRunArn)))));
  });

  router.get("/map-runs/:mapRunArn/executions", async (req, res) => {
    const mapRunArn = mapRunArnParam(String(req.params.mapRunArn));
    const status = queryStatus(req);
    // An unknown Map Run is a 404, not an empty list.
    await getMapRun(db, mapRunArn);
    const listed = await listExecutions(db, { mapRunArn, ...queryPage(req), ...(status ? { statusFilter: status } : {}) });
    res.json({ executions: listed.items.map(executionSummaryView), ...(listed.nextToken ? { nextToken: listed.nextToken } : {}) });
  });
}
