/** Reading and checking what a request carries: JSON bodies (with zod), query parameters, ARNs in the path. */
import { parseArn } from "@stepwise/runtime";
import type { ExecutionStatus } from "@stepwise/storage";
import type { Request } from "express";
import type { z } from "zod";
import { RestError } from "./rest-error.ts";

/** The JSON body checked against `schema`; a missing body counts as `{}`. */
export function readBody<T extends z.ZodType>(req: Request, schema: T): z.infer<T> {
  const body: unknown = req.body ?? {};
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new RestError(400, "ValidationException", "The request body must be a JSON object");
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => (i.path.length > 0 ? `${i.path.join(".")}: ${i.message}` : i.message));
    throw new RestError(400, "ValidationException", problems.join("; "));
  }
  return parsed.data;
}

/** A query parameter given once, or undefined; repeated parameters are refused rather than guessed at. */
export function queryString(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new RestError(400, "ValidationException", `Query parameter '${name}' must be given once`);
  return value;
}

export function queryInteger(req: Request, name: string, min: number, max: number): number | undefined {
  const text = queryString(req, name);
  if (text === undefined || text === "") return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new RestError(400, "ValidationException", `Query parameter '${name}' must be an integer from ${min} to ${max}`);
  }
  return Number(text);
}

export function queryBoolean(req: Request, name: string): boolean {
  const text = queryString(req, name);
  if (text === undefined || text === "" || text === "false") return false;
  if (text === "true") return true;
  throw new RestError(400, "ValidationException", `Query parameter '${name}' must be true or false`);
}

const STATUSES: readonly ExecutionStatus[] = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE"];

export function queryStatus(req: Request): ExecutionStatus | undefined {
  const text = queryString(req, "status");
  if (text === undefined || text === "") return undefined;
  if (!(STATUSES as readonly string[]).includes(text)) {
    throw new RestError(400, "ValidationException", `Query parameter 'status' must be one of ${STATUSES.join(", ")}`);
  }
  return text as ExecutionStatus;
}

/** `nextToken` and `maxResults` (1..1000), as AWS's list calls take them. */
export function queryPage(req: Request): { nextToken?: string; maxResults?: number } {
  const nextToken = queryString(req, "nextToken");
  const maxResults = queryInteger(req, "maxResults", 1, 1000);
  return { ...(nextToken ? { nextToken } : {}), ...(maxResults === undefined ? {} : { maxResults }) };
}

/** The execution ARN of the `:arn` path parameter (URL-decoded by the router). */
export function executionArnParam(req: Request): string {
  const arn = String(req.params.arn);
  if (parseArn(arn)?.resourceType !== "execution") throw new RestError(400, "InvalidArn", `Invalid Arn: '${arn}'`);
  return arn;
}
