import type { Runtime } from "@stepwise/runtime";
import type { Access } from "../auth/scopes.ts";

/** What a Scheduler API handler gets: the caller, the path's label, the query and the JSON body. */
export interface SchedulerRequest {
  runtime: Runtime;
  access: Access;
  action: string;
  /** The `{Name}` or `{ResourceArn}` of the path. */
  label: string;
  query: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

export const arnContext = (runtime: Runtime) => ({ region: runtime.config.STEPWISE_REGION, accountId: runtime.config.STEPWISE_ACCOUNT_ID });

/** A query parameter given once; a repeated one is refused. */
export function queryValue(query: SchedulerRequest["query"], name: string): string | undefined {
  const value = query[name];
  return Array.isArray(value) ? value[0] : value;
}
