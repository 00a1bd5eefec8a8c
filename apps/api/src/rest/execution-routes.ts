/** Executions: start and list per machine, list all, describe, read history, stop, redrive. */
import { InvalidExecutionInput } from "@stepwise/runtime";
import { getExecution, getHistoryPage, getStateMachine, listExecutions, searchExecutions } from "@stepwise/storage";
import type { Router } from "express";
import { z } from "zod";
import type { ApiDependencies } from "../api-dependencies.ts";
import { accessOf } from "../auth/bearer.ts";
import { executionArnParam, queryBoolean, queryInteger, queryPage, queryStatus, queryString, readBody } from "./request-input.ts";
import { RestError } from "./rest-error.ts";
import { arnContext, machineArnParam } from "./state-machine-routes.ts";
import { executionSummaryView, executionView } from "./views.ts";

/** express.json() has parsed the input already; z.json() would rebuild it and drop keys named "__proto__". */
const startBody = z.object({ name: z.string().optional(), input: z.unknown().optional() });

/** AWS's limits on StopExecution's fields. */
const stopBody = z.object({ error: z.string().max(256).optional(), cause: z.string().max(32_768).optional() });

/** Most history events one page carries (fewer when they pass STEPWISE_HISTORY_PAGE_BYTES); `nextAfter` continues. */
const HISTORY_PAGE = 1000;

export function registerExecutionRoutes(router: Router, deps: ApiDependencies): void {
  const { db, engine } = deps.runtime;

  router.get("/state-machines/:name/executions", async (req, res) => {
    const stateMachineArn = machineArnParam(deps, req);
    const status = queryStatus(req);
    const page = queryPage(req);
    await getStateMachine(db, stateMachineArn);
    const listed = await listExecutions(db, { stateMachineArn, ...page, ...(status ? { statusFilter: status } : {}) });
    res.json({ executions: listed.items.map(executionSummaryView), ...(listed.nextToken ? { nextToken: listed.nextToken } : {}) });
  });

  router.post("/state-machines/:name/executions", async (req, res) => {
    const body = readBody(req, startBody);
    const scope = accessOf(res).executionScope;
    const started = await engine.start({
      stateMachineArn: machineArnParam(deps, req),
      ...(scope ? { scope } : {}),
      ...(body.name === undefined ? {} : { name: body.name }),
      input: inputText(body.input),
      ...(req.get("traceparent") ? { traceparent: req.get("traceparent") } : {}),
    });
    res.status(started.created ? 201 : 200).json({ executionArn: started.executionArn, startDate: started.startDate.toISOString() });
  });

  router.get("/executions", async (req, res) => {
    const status = queryStatus(req);
    const nameContains = queryString(req, "name");
    const stateMachineArnLike = accessOf(res).stateMachineArnPatterns(arnContext(deps));
    const listed = await searchExecutions(db, {
      ...queryPage(req),
      ...(status ? { status } : {}),
      ...(nameContains ? { nameContains } : {}),
      ...(stateMachineArnLike ? { stateMachineArnLike } : {}),
    });
    res.json({ executions: listed.items.map(executionSummaryView), ...(listed.nextToken ? { nextToken: listed.nextToken } : {}) });
  });

  router.get("/executions/:arn", async (req, res) => {
    res.json(executionView(await getExecution(db, executionArnParam(req))));
  });

  router.get("/executions/:arn/history", async (req, res) => {
    const arn = executionArnParam(req);
    const reverse = queryBoolean(req, "reverse");
    const limit = queryInteger(req, "limit", 1, HISTORY_PAGE) ?? HISTORY_PAGE;
    const after = queryInteger(req, "after", 0, Number.MAX_SAFE_INTEGER);
    await getExecution(db, arn);
    const maxBytes = deps.config.STEPWISE_HISTORY_PAGE_BYTES;
    const { events, more } = await getHistoryPage(db, arn, {
      reverse,
      limit,
      maxBytes,
      ...(after === undefined ? {} : { afterId: after }),
    });
    const last = events.at(-1);
    res.json({ events, ...(more && last ? { nextAfter: last.id } : {}) });
  });

  router.post("/executions/:arn/stop", async (req, res) => {
    const arn = executionArnParam(req);
    const body = readBody(req, stopBody);
    const before = await getExecution(db, arn);
    if (before.status !== "RUNNING") {
      throw new RestError(409, "ExecutionNotRunning", `Execution is not running: '${arn}' (status ${before.status})`);
    }
    await engine.stop(arn, body.error, body.cause);
    // Another writer may have closed it first; report how it actually ended.
    const after = await getExecution(db, arn);
    res.json({ executionArn: arn, status: after.status, stopDate: after.stopDate?.toISOString() ?? null });
  });

  router.post("/executions/:arn/redrive", async (req, res) => {
    const arn = executionArnParam(req);
    const scope = accessOf(res).executionScope;
    // The redriven run acts for this credential too (see the engine's redrive.ts).
    const { redriveDate } = await engine.redrive(arn, scope ? { scope } : {});
    res.json({ executionArn: arn, redriveDate: redriveDate.toISOString() });
  });
}

/** Input nested deeper than JSON.stringify can go is refused as the engine refuses input it cannot parse. */
function inputText(input: unknown): string {
  try {
    return JSON.stringify(input ?? {});
  } catch (e) {
    throw new InvalidExecutionInput(`Invalid State Machine Execution Input: '${(e as Error).message}'`);
  }
}
