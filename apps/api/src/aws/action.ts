/** What an action handler gets, and how an action is declared: a request schema and a handler. */
import type { Runtime } from "@stepwise/runtime";
import type { z } from "zod";
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
  config: ApiConfig;
  options: Required<AwsRouterOptions>;
  /** Fires when the client goes away before the answer is sent (long polls stop waiting). */
  signal: AbortSignal;
  /** Process-wide state some actions share between requests (activity pollers). */
  pollers: Map<string, number>;
}

export interface Action {
  run(context: ActionContext, body: unknown): Promise<unknown>;
}

export function action<S extends z.ZodType>(schema: S, handler: (context: ActionContext, request: z.infer<S>) => Promise<unknown>): Action {
  return { run: (context, body) => handler(context, parseRequest(schema, body)) };
}

export const DEFAULT_OPTIONS: Required<AwsRouterOptions> = {
  activityPollMs: 60_000,
  activityPollIntervalMs: 200,
  syncExecutionTimeoutMs: 5 * 60_000,
  maxActivityPollers: 1_000,
};

export function arnContext(runtime: Runtime): { region: string; accountId: string } {
  return { region: runtime.config.STEPWISE_REGION, accountId: runtime.config.STEPWISE_ACCOUNT_ID };
}
