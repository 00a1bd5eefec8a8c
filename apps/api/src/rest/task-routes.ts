/**
 * Task callbacks for `.waitForTaskToken` and activity tasks: success, failure and heartbeat by token. The
 * heartbeat also keeps a remote worker's lease (see task-poll-routes.ts).
 */
import type { Json } from "@stepwise/asl";
import { isLeaseToken } from "@stepwise/runtime";
import type { Router } from "express";
import { z } from "zod";
import type { ApiDependencies } from "../api-dependencies.ts";
import { readBody } from "./request-input.ts";

/**
 * express.json() has parsed the output already; z.json() would rebuild it (dropping keys named "__proto__")
 * and recurse as deep as it is nested.
 */
const successBody = z.object({ output: z.unknown().refine((v) => v !== undefined, "output is required and must be JSON") });
/** AWS's limits on SendTaskFailure's fields. */
const failureBody = z.object({ error: z.string().max(256).optional(), cause: z.string().max(32_768).optional() });

export function registerTaskRoutes(router: Router, deps: ApiDependencies): void {
  const { engine } = deps.runtime;

  router.post("/tasks/:token/success", async (req, res) => {
    const body = readBody(req, successBody);
    await engine.completeTask(String(req.params.token), { output: body.output as Json });
    res.json({});
  });

  router.post("/tasks/:token/failure", async (req, res) => {
    const body = readBody(req, failureBody);
    await engine.completeTask(String(req.params.token), { error: body.error ?? null, cause: body.cause ?? null });
    res.json({});
  });

  // A remote worker's lease (task-poll-routes.ts) or a task token.
  router.post("/tasks/:token/heartbeat", async (req, res) => {
    const token = String(req.params.token);
    if (isLeaseToken(token)) await deps.runtime.remoteTasks.heartbeat(token);
    else await engine.heartbeatTask(token);
    res.json({});
  });
}
