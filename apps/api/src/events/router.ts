/**
 * The EventBridge API on `POST /`, beside the Step Functions API: requests whose `X-Amz-Target` starts
 * with `AWSEvents.` are EventBridge's JSON 1.1 protocol (Signature V4 for the `events` service, JSON
 * bodies, timestamps in epoch seconds, errors as `{"__type", "message"}`); every other request goes on to
 * the Step Functions router.
 */
import { randomUUID } from "node:crypto";
import { eventMetrics } from "@stepwise/triggers";
import { type NextFunction, type Request, type Response, Router } from "express";
import type { ApiDependencies } from "../api-dependencies.ts";
import { AwsCallers } from "../auth/aws-callers.ts";
import { BodyTooLarge, readBody } from "../aws/request-body.ts";
import { utf8Problem } from "../utf8-body.ts";
import { createEventBusAction, deleteEventBusAction, describeEventBusAction, listEventBusesAction } from "./bus-actions.ts";
import type { EventsRequest } from "./events-context.ts";
import { EventsError, toEventsError } from "./events-error.ts";
import { putEventsAction, testEventPatternAction } from "./put-events-action.ts";
import {
  deleteRuleAction,
  describeRuleAction,
  disableRuleAction,
  enableRuleAction,
  listRulesAction,
  putRuleAction,
} from "./rule-actions.ts";
import { listTargetsByRuleAction, putTargetsAction, removeTargetsAction } from "./target-actions.ts";

export const EVENTS_SERVICE = "events";
const TARGET_PREFIX = "AWSEvents.";
const CONTENT_TYPE = "application/x-amz-json-1.1";

type Handler = (request: EventsRequest) => Promise<object>;

const ACTIONS: ReadonlyMap<string, Handler> = new Map([
  ["CreateEventBus", createEventBusAction],
  ["DescribeEventBus", describeEventBusAction],
  ["DeleteEventBus", deleteEventBusAction],
  ["ListEventBuses", listEventBusesAction],
  ["PutRule", putRuleAction],
  ["DescribeRule", describeRuleAction],
  ["DeleteRule", deleteRuleAction],
  ["ListRules", listRulesAction],
  ["EnableRule", enableRuleAction],
  ["DisableRule", disableRuleAction],
  ["PutTargets", putTargetsAction],
  ["RemoveTargets", removeTargetsAction],
  ["ListTargetsByRule", listTargetsByRuleAction],
  ["PutEvents", putEventsAction],
  ["TestEventPattern", testEventPatternAction],
]);

export function createEventsRouter(deps: ApiDependencies): Router {
  const { runtime, config, registry } = deps;
  const callers = new AwsCallers(config, runtime.config.STEPWISE_REGION);
  const observer = eventMetrics(registry);
  const router = Router();
  router.post("/", async (req: Request, res: Response, next: NextFunction) => {
    const target = req.get("x-amz-target") ?? "";
    if (!target.startsWith(TARGET_PREFIX)) return next();
    const action = target.slice(TARGET_PREFIX.length);
    res.setHeader("x-amzn-RequestId", randomUUID());
    try {
      const raw = await readBody(req, config.STEPWISE_MAX_REQUEST_BYTES);
      const access = callers.access(req, raw, EVENTS_SERVICE);
      if (!access) throw new EventsError("InternalException", "An internal error occurred.", 500);
      if ("code" in access) throw new EventsError(access.code, access.message, 403);
      const handler = ACTIONS.get(action);
      if (!handler) throw new EventsError("UnknownOperationException", `Unknown operation: '${target}'`);
      send(res, 200, await handler({ runtime, access, action, body: parseBody(raw), observer }));
    } catch (error) {
      const answer = error instanceof BodyTooLarge ? new EventsError("ValidationException", error.message, 413) : toEventsError(error);
      if (answer.status >= 500) runtime.logger.error({ err: error, action }, "EventBridge API request failed");
      if (error instanceof BodyTooLarge) res.setHeader("Connection", "close");
      send(res, answer.status, { __type: answer.code, message: answer.message });
    }
  });
  return router;
}

function parseBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  const notUtf8 = utf8Problem(body);
  if (notUtf8) throw new EventsError("SerializationException", notUtf8);
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw new EventsError("SerializationException", `The request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new EventsError("SerializationException", "The request body must be a JSON object");
  return value as Record<string, unknown>;
}

function send(res: Response, status: number, payload: unknown): void {
  if (res.headersSent || res.writableEnded) return;
  res
    .status(status)
    .set("Content-Type", CONTENT_TYPE)
    .send(Buffer.from(JSON.stringify(payload), "utf8"));
}
