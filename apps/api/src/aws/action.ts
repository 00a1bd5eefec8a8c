/**
 * What an action handler gets, and how an action is declared: a request schema, what the request names
 * (checked against the caller's scope before the handler runs) and a handler.
 */
import type { Runtime } from "@stepwise/runtime";
import type { z } from "zod";
import type { Access, ResourceRef } from "../auth/scopes.ts";
import type { ApiConfig } from "../config.ts";
import { parseRequest } from "./request-shape.ts";

export interface AwsRouterOptions {
  /** Longest GetActivityTask waits for a task (AWS: 60 s). */
  activityPollMs?: number;
  /** Pause between two claims while GetActivityTask waits. */
  activityPollIntervalMs?: number;
  /** Longest StartSyncExecution waits for its execution (AWS's Express limit: 5 minutes). */
  syncExecutionTimeoutMs?: number;
  /** Most concurrent GetActivityTask calls per activity in this process (AWS: 1,000). */
  maxActivityPollers?: number;
}

export interface ActionContext {
  runtime: Runtime;
  /** `X-Amz-Target`'s operation, e.g. `StartExecution`. */
  action: string;
  /** What the caller's access key may reach. */
  access: Access;
  config: ApiConfig;
  options: Required<AwsRouterOptions>;
  /** Fires when the client goes away before the answer is sent (long polls stop waiting). */
  signal: AbortSignal;
  /** Process-wide state some actions share between requests (activity pollers). */
  pollers: Map<string, number>;
  /** The request's W3C `traceparent` header: a start's trace continues the caller's. */
  traceparent?: string;
}

export interface Action {
  run(context: ActionContext, body: unknown): Promise<unknown>;
}

/** The state machines, executions, activities and task tokens a request names (none for lists, which filter). */
export type NamedResources<R> = (request: R, context: ActionContext) => ResourceRef[];

export const namesNothing = (): ResourceRef[] => [];
export const byMachineArn = (request: { stateMachineArn: string }): ResourceRef[] => [{ arn: request.stateMachineArn }];
export const byExecutionArn = (request: { executionArn: string }): ResourceRef[] => [{ arn: request.executionArn }];

export function action<S extends z.ZodType>(
  schema: S,
  names: NamedResources<z.infer<S>>,
  handler: (context: ActionContext, request: z.infer<S>) => Promise<unknown>,
): Action {
  return {
    run: async (context, body) => {
      const request = parseRequest(schema, body);
      await context.access.require(context.runtime.db, iamAction(context.action), names(request, context));
      return handler(context, request);
    },
  };
}

/** How AWS names an operation in its authorization errors. */
export const iamAction = (operation: string) => `states:${operation}`;

export const DEFAULT_OPTIONS: Required<AwsRouterOptions> = {
  activityPollMs: 60_000,
  activityPollIntervalMs: 200,
  syncExecutionTimeoutMs: 5 * 60_000,
  maxActivityPollers: 1_000,
};

export function arnContext(runtime: Runtime): { region: string; accountId: string } {
  return { region: runtime.config.STEPWISE_REGION, accountId: runtime.config.STEPWISE_ACCOUNT_ID };
}
