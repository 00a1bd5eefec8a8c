/**
 * How the REST API answers a failure: `{ error, message }` with a 4xx status, the error named as AWS
 * names it. Named errors from storage and the engine are mapped here, so route handlers just throw.
 */
import { ExecutionNotRedrivable, InvalidExecutionInput, InvalidName, type Logger, UnstorableText } from "@stepwise/runtime";
import { isUnstorableText, StorageError } from "@stepwise/storage";
import type { ErrorRequestHandler, RequestHandler } from "express";
import { AccessDenied } from "../auth/scopes.ts";

/** A request the API refuses, with the status and AWS-style name to answer with. */
export class RestError extends Error {
  constructor(
    readonly status: number,
    override readonly name: string,
    message: string,
    /** Extra fields for the JSON body (e.g. validation diagnostics). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const NOT_FOUND = new Set([
  "StateMachineDoesNotExist",
  "ExecutionDoesNotExist",
  "ActivityDoesNotExist",
  "ResourceNotFound",
  "TaskDoesNotExist",
  "ResourceNotFoundException",
]);
const CONFLICT = new Set([
  "StateMachineAlreadyExists",
  "ExecutionAlreadyExists",
  "StateMachineDeleting",
  "TaskTimedOut",
  "ResourceAlreadyExistsException",
]);

const UNSTORABLE_TEXT = "The request contains the character U+0000, which cannot be stored";

/** The status and body for a thrown value, or undefined when it is not a request error (a bug, an outage). */
export function describeError(error: unknown): { status: number; body: Record<string, unknown> } | undefined {
  if (error instanceof RestError) return { status: error.status, body: { error: error.name, message: error.message, ...error.details } };
  if (error instanceof AccessDenied) return { status: 403, body: { error: error.name, message: error.message } };
  if (error instanceof StorageError) {
    // DuplicateHistoryEvent is a lost race between two writers, not a bad request.
    if (error.name === "DuplicateHistoryEvent") return undefined;
    const status = NOT_FOUND.has(error.name) ? 404 : CONFLICT.has(error.name) ? 409 : 400;
    return { status, body: { error: error.name, message: error.message } };
  }
  if (error instanceof InvalidName || error instanceof InvalidExecutionInput)
    return { status: 400, body: { error: error.name, message: error.message } };
  if (error instanceof ExecutionNotRedrivable) return { status: 409, body: { error: error.name, message: error.message } };
  if (isUnstorableText(error) || error instanceof UnstorableText) {
    return { status: 400, body: { error: "ValidationException", message: UNSTORABLE_TEXT } };
  }
  return bodyParserError(error);
}

/** express.json()'s failures carry a `type` and a 4xx `status`; the router's, for a path it cannot decode, a 400 URIError. */
function bodyParserError(error: unknown): { status: number; body: Record<string, unknown> } | undefined {
  const e = error as { type?: unknown; status?: unknown; message?: unknown };
  if (error instanceof URIError && e.status === 400)
    return { status: 400, body: { error: "ValidationException", message: "The request path is not valid percent-encoding" } };
  if (typeof e?.type !== "string" || typeof e.status !== "number" || e.status < 400 || e.status >= 500) return undefined;
  if (e.type === "entity.parse.failed")
    return { status: 400, body: { error: "SerializationException", message: "The request body is not valid JSON" } };
  if (e.type === "entity.too.large")
    return { status: 413, body: { error: "ValidationException", message: "The request body is larger than the API accepts" } };
  return { status: e.status, body: { error: "ValidationException", message: String(e.message) } };
}

export function restErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const known = describeError(error);
    if (known) {
      res.status(known.status).json(known.body);
      return;
    }
    logger.error({ err: error, method: req.method, path: req.originalUrl }, "REST request failed");
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(500).json({ error: "InternalFailure", message: "The request failed because of an internal error" });
  };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json({ error: "NotFound", message: `No route for ${req.method} ${req.baseUrl}${req.path}` });
};
