/**
 * Task workers in any language (docs/task-handlers.md#workers-in-other-languages): `POST /tasks/poll` long
 * polls the handler queues for tasks, and each task's lease answers it with `/complete` or `/fail` and
 * keeps it with `/heartbeat` (task-routes.ts serves that one, for leases and task tokens alike).
 */
import type { Json } from "@stepwise/asl";
import { BUILT_IN_HANDLERS, isLeaseToken, TooManyPolledHandlers } from "@stepwise/runtime";
import { InvalidToken } from "@stepwise/storage";
import type { Router } from "express";
import { z } from "zod";
import type { ApiDependencies } from "../api-dependencies.ts";
import { accessOf } from "../auth/bearer.ts";
import { readBody } from "./request-input.ts";
import { RestError } from "./rest-error.ts";
import { restAction } from "./scope-checks.ts";

/** AWS's GetActivityTask waits up to 60 s; so may a poll. */
const MAX_WAIT_SECONDS = 60;

const handlerName = z
  .string()
  .min(1)
  .max(256)
  // BullMQ's queue names (`task-<handler>`) cannot hold ':'.
  .refine((name) => !/[:\p{Cc}]/u.test(name), "a handler name cannot contain ':' or control characters")
  .refine((name) => !BUILT_IN_HANDLERS.has(name), {
    error: (issue) => `'${String(issue.input)}' is a built-in handler, run by Stepwise's own workers`,
  });

const pollBody = z.object({
  handlers: z
    .array(handlerName)
    .min(1)
    .max(32)
    .refine((names) => new Set(names).size === names.length, "handlers must not repeat a name"),
  workerId: z.string().min(1).max(80).optional(),
  maxTasks: z.number().int().min(1).max(100).default(1),
  waitSeconds: z.number().int().min(0).max(MAX_WAIT_SECONDS).default(20),
});

/** See task-routes.ts: express.json() has parsed the output already. */
const completeBody = z.object({ output: z.unknown().optional() });
/** AWS's limits on SendTaskFailure's fields. */
const failBody = z.object({ error: z.string().max(256).optional(), cause: z.string().max(32_768).optional() });

/** `/complete` and `/fail` take a lease; a task token goes to `/success` and `/failure`. */
function leaseParam(token: string): string {
  if (!isLeaseToken(token)) {
    throw new InvalidToken("not a lease from /v1/tasks/poll (a task token completes with /success or /failure)");
  }
  return token;
}

export function registerTaskPollRoutes(router: Router, deps: ApiDependencies): void {
  router.post("/tasks/poll", async (req, res) => {
    const body = readBody(req, pollBody);
    accessOf(res).requireHandlers(restAction(req), body.handlers);
    // A worker that hangs up takes nothing: what the poll took meanwhile goes back on its queue.
    const hungUp = new AbortController();
    res.on("close", () => hungUp.abort());
    let tasks: Awaited<ReturnType<typeof deps.runtime.remoteTasks.poll>>;
    try {
      tasks = await deps.runtime.remoteTasks.poll({
        handlers: body.handlers,
        workerId: body.workerId ?? "anonymous",
        maxTasks: body.maxTasks,
        waitMs: body.waitSeconds * 1000,
        signal: hungUp.signal,
      });
    } catch (error) {
      if (error instanceof TooManyPolledHandlers) throw new RestError(429, "ThrottlingException", error.message);
      throw error;
    }
    if (!hungUp.signal.aborted) res.json({ tasks });
  });

  router.post("/tasks/:token/complete", async (req, res) => {
    const body = readBody(req, completeBody);
    await deps.runtime.remoteTasks.complete(leaseParam(String(req.params.token)), { output: (body.output ?? null) as Json });
    res.json({});
  });

  router.post("/tasks/:token/fail", async (req, res) => {
    const body = readBody(req, failBody);
    await deps.runtime.remoteTasks.complete(leaseParam(String(req.params.token)), {
      error: body.error ?? null,
      cause: body.cause ?? null,
    });
    res.json({});
  });
}
