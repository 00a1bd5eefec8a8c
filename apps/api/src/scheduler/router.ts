/**
 * The EventBridge Scheduler API, in the REST-JSON protocol @aws-sdk/client-scheduler and `aws scheduler`
 * speak, on the API's port beside the Step Functions API: `/schedules`, `/schedule-groups` and `/tags`
 * paths (nothing else of Stepwise lives there), Signature V4 for the `scheduler` service, JSON bodies,
 * timestamps in epoch seconds, and errors as AWS answers them (see scheduler-error.ts).
 */
import { randomUUID } from "node:crypto";
import { type Request, type Response, Router } from "express";
import type { ApiDependencies } from "../api-dependencies.ts";
import { AwsCallers } from "../auth/aws-callers.ts";
import { BodyTooLarge, readBody } from "../aws/request-body.ts";
import { utf8Problem } from "../utf8-body.ts";
import {
  createScheduleGroupAction,
  deleteScheduleGroupAction,
  getScheduleGroupAction,
  listScheduleGroupsAction,
  listTagsAction,
  tagResourceAction,
  untagResourceAction,
} from "./group-actions.ts";
import {
  createScheduleAction,
  deleteScheduleAction,
  getScheduleAction,
  listSchedulesAction,
  updateScheduleAction,
} from "./schedule-actions.ts";
import type { SchedulerRequest } from "./scheduler-context.ts";
import { SchedulerError, toSchedulerError, validation } from "./scheduler-error.ts";

export const SCHEDULER_SERVICE = "scheduler";

type Handler = (request: SchedulerRequest) => Promise<object>;

const ROUTES: Array<["get" | "post" | "put" | "delete", string, string, Handler]> = [
  ["post", "/schedules/:label", "CreateSchedule", createScheduleAction],
  ["get", "/schedules/:label", "GetSchedule", getScheduleAction],
  ["put", "/schedules/:label", "UpdateSchedule", updateScheduleAction],
  ["delete", "/schedules/:label", "DeleteSchedule", deleteScheduleAction],
  ["get", "/schedules", "ListSchedules", listSchedulesAction],
  ["post", "/schedule-groups/:label", "CreateScheduleGroup", createScheduleGroupAction],
  ["get", "/schedule-groups/:label", "GetScheduleGroup", getScheduleGroupAction],
  ["delete", "/schedule-groups/:label", "DeleteScheduleGroup", deleteScheduleGroupAction],
  ["get", "/schedule-groups", "ListScheduleGroups", listScheduleGroupsAction],
  ["get", "/tags/:label", "ListTagsForResource", listTagsAction],
  ["post", "/tags/:label", "TagResource", tagResourceAction],
  ["delete", "/tags/:label", "UntagResource", untagResourceAction],
];

export function createSchedulerRouter(deps: ApiDependencies): Router {
  const { runtime, config } = deps;
  const callers = new AwsCallers(config, runtime.config.STEPWISE_REGION);
  const router = Router();
  for (const [method, path, action, handler] of ROUTES) {
    router[method](path, async (req: Request, res: Response) => {
      res.setHeader("x-amzn-RequestId", randomUUID());
      try {
        const raw = await readBody(req, config.STEPWISE_MAX_REQUEST_BYTES);
        const access = callers.access(req, raw, SCHEDULER_SERVICE);
        if (!access) throw new SchedulerError("InternalServerException", "Unexpected error during processing of request.");
        if ("code" in access) throw new SchedulerError(access.code, access.message, 403);
        const label = String(req.params.label ?? "");
        const query = req.query as SchedulerRequest["query"];
        send(res, 200, await handler({ runtime, access, action, label, query, body: parseBody(raw) }));
      } catch (error) {
        const answer =
          error instanceof BodyTooLarge ? new SchedulerError("ValidationException", error.message, 413) : toSchedulerError(error);
        if (answer.status >= 500) runtime.logger.error({ err: error, action }, "Scheduler API request failed");
        res.setHeader("x-amzn-ErrorType", answer.code);
        send(res, answer.status, { Message: answer.message });
      }
    });
  }
  return router;
}

function parseBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  const notUtf8 = utf8Problem(body);
  if (notUtf8) throw validation(notUtf8);
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw validation(`The request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw validation("The request body must be a JSON object");
  return value as Record<string, unknown>;
}

function send(res: Response, status: number, payload: unknown): void {
  if (res.headersSent || res.writableEnded) return;
  res
    .status(status)
    .set("Content-Type", "application/json")
    .send(Buffer.from(JSON.stringify(payload), "utf8"));
}
