/**
 * The AWS Step Functions API on `POST /`, in the AWS JSON 1.0 protocol the SDKs and the CLI speak:
 * `X-Amz-Target: AWSStepFunctions.<Action>`, a JSON body, Signature V4 authentication, JSON answers, and
 * errors as HTTP 400 with `{"__type", "message"}` (5xx only for faults of the server itself).
 */
import { randomUUID } from "node:crypto";
import { type Response, Router } from "express";
import type { ApiDependencies } from "../api-dependencies.ts";
import { AwsCallers } from "../auth/aws-callers.ts";
import { SERVICE } from "../auth/sigv4.ts";
import { utf8Problem } from "../utf8-body.ts";
import { type ActionContext, type AwsRouterOptions, DEFAULT_OPTIONS } from "./action.ts";
import { ACTIONS, TARGET_PREFIX } from "./actions.ts";
import { AwsError, coralError, internalFailure, toAwsError } from "./aws-error.ts";
import { BodyTooLarge, readBody } from "./request-body.ts";

export type { AwsRouterOptions } from "./action.ts";

const CONTENT_TYPE = "application/x-amz-json-1.0";

export function createAwsRouter(deps: ApiDependencies, overrides: AwsRouterOptions = {}): Router {
  const { runtime, config } = deps;
  const callers = new AwsCallers(config, runtime.config.STEPWISE_REGION);
  const options = { ...DEFAULT_OPTIONS, ...overrides };
  const pollers = new Map<string, number>();
  const router = Router();

  router.post("/", async (req, res) => {
    const controller = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) controller.abort();
    });
    res.setHeader("x-amzn-RequestId", randomUUID());
    let actionName = "unknown";
    try {
      const body = await readBody(req, config.STEPWISE_MAX_REQUEST_BYTES);
      const access = callers.access(req, body, SERVICE);
      if (!access) throw internalFailure();
      if ("code" in access) {
        throw coralError(access.code, access.message, access.code === "MissingAuthenticationTokenException" ? 403 : 400);
      }
      const target = req.get("x-amz-target") ?? "";
      const action = target.startsWith(TARGET_PREFIX) ? ACTIONS.get(target.slice(TARGET_PREFIX.length)) : undefined;
      if (!action) throw coralError("UnknownOperationException", `Unknown operation: '${target}'`);
      actionName = target.slice(TARGET_PREFIX.length);
      const traceparent = req.get("traceparent");
      const context: ActionContext = {
        runtime,
        action: actionName,
        access,
        config,
        options,
        signal: controller.signal,
        pollers,
        ...(traceparent ? { traceparent } : {}),
      };
      send(res, 200, await action.run(context, parseBody(body)));
    } catch (error) {
      if (controller.signal.aborted && !(error instanceof AwsError)) return;
      const answer = answerFor(error);
      if (answer.status >= 500) runtime.logger.error({ err: error, action: actionName }, "AWS API request failed");
      if (error instanceof BodyTooLarge) res.setHeader("Connection", "close");
      send(res, answer.status, answer.body);
    }
  });
  return router;
}

function parseBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  const notUtf8 = utf8Problem(body);
  if (notUtf8) throw coralError("SerializationException", notUtf8);
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw coralError("SerializationException", `The request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw coralError("SerializationException", "The request body must be a JSON object");
  }
  return value;
}

function answerFor(error: unknown): AwsError {
  // AWS's own answer to an oversized request is not documented; 413 says what happened, and the
  // ValidationException code is one every Step Functions client knows.
  if (error instanceof BodyTooLarge) return new AwsError("ValidationException", error.message, 413);
  return toAwsError(error) ?? internalFailure();
}

function send(res: Response, status: number, payload: unknown): void {
  if (res.headersSent || res.writableEnded) return;
  res
    .status(status)
    .set("Content-Type", CONTENT_TYPE)
    .send(Buffer.from(JSON.stringify(payload), "utf8"));
}
