/**
 * Every execution of every state machine, newest first, filtered by status and by a piece of the name:
 * the console's overview. Storage's ListExecutions is per machine, so this listing has its own query.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import { type ArnPatterns, arnMatches } from "../arn-filter.ts";
import type { Executor } from "../connection.ts";
import { decodeToken, encodeToken, type Page, type PageRequest, pageSize, toPage } from "../pagination.ts";
import { type ExecutionStatus, executions } from "../schema/executions.ts";
import { type ExecutionSummary, executionSummaryColumns } from "./execution-list.ts";

export interface ExecutionSearch extends PageRequest {
  status?: ExecutionStatus;
  /** Case-insensitive substring of the execution name. */
  nameContains?: string;
  /** Only executions of machines whose ARN matches. */
  stateMachineArnLike?: ArnPatterns;
}

export async function searchExecutions(db: Executor, search: ExecutionSearch): Promise<Page<ExecutionSummary>> {
  const size = pageSize(search);
  // A token only continues the listing (same filters) that issued it.
  const scope = `all-executions ${search.status ?? ""} ${search.nameContains ?? ""}`;
  const cursor = search.nextToken === undefined ? undefined : decodeToken(scope, search.nextToken, ["timestamp", "text"]);
  const rows = await db
    .select(executionSummaryColumns)
    .from(executions)
    .where(
      and(
        search.status === undefined ? undefined : eq(executions.status, search.status),
        // strpos rather than LIKE: the user's text needs no escaping of % and _.
        search.nameContains ? sql`strpos(lower(${executions.name}), lower(${search.nameContains})) > 0` : undefined,
        arnMatches(executions.stateMachineArn, search.stateMachineArnLike),
        cursor === undefined ? undefined : sql`(${executions.startDate}, ${executions.arn}) < (${cursor[0]}::timestamptz, ${cursor[1]})`,
      ),
    )
    .orderBy(desc(executions.startDate), desc(executions.arn))
    .limit(size + 1);
  return toPage(rows, size, (last) => encodeToken(scope, [last.startDate.toISOString(), last.arn]));
}
