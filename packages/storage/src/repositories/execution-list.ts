import { and, desc, eq, sql } from "drizzle-orm";
import type { Executor } from "../connection.ts";
import { decodeToken, encodeToken, type Page, type PageRequest, pageSize, toPage } from "../pagination.ts";
import { type ExecutionStatus, executions } from "../schema/executions.ts";

export type ExecutionSummary = {
  arn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate: Date | null;
  redriveCount: number;
  redriveDate: Date | null;
  stateMachineVersionArn: string | null;
  stateMachineAliasArn: string | null;
};

export type ExecutionListRequest = PageRequest &
  ListFilters &
  (
    | { stateMachineArn: string; mapRunArn?: undefined }
    /** A distributed Map's child workflow executions. */
    | { mapRunArn: string; stateMachineArn?: undefined }
  );

interface ListFilters {
  /** Only the executions started through this version (directly or by an alias) or this alias. */
  through?: { versionArn: string } | { aliasArn: string };
  statusFilter?: ExecutionStatus;
}

/** What a listing shows of an execution (no input, output or definition). */
export const executionSummaryColumns = {
  arn: executions.arn,
  stateMachineArn: executions.stateMachineArn,
  name: executions.name,
  status: executions.status,
  startDate: executions.startDate,
  stopDate: executions.stopDate,
  redriveCount: executions.redriveCount,
  redriveDate: executions.redriveDate,
  stateMachineVersionArn: executions.stateMachineVersionArn,
  stateMachineAliasArn: executions.stateMachineAliasArn,
};

/** ListExecutions: newest first, as AWS lists them, with keyset pages on (start_date, arn). */
export async function listExecutions(db: Executor, request: ExecutionListRequest): Promise<Page<ExecutionSummary>> {
  const size = pageSize(request);
  // The token is only valid for the listing that issued it.
  const scope = `executions ${throughArn(request) ?? request.stateMachineArn ?? request.mapRunArn} ${request.statusFilter ?? ""}`;
  const cursor = request.nextToken === undefined ? undefined : decodeToken(scope, request.nextToken, ["timestamp", "text"]);
  const rows = await db
    .select(executionSummaryColumns)
    .from(executions)
    .where(
      and(
        request.mapRunArn !== undefined
          ? eq(executions.mapRunArn, request.mapRunArn)
          : eq(executions.stateMachineArn, request.stateMachineArn),
        request.through === undefined
          ? undefined
          : "versionArn" in request.through
            ? eq(executions.stateMachineVersionArn, request.through.versionArn)
            : eq(executions.stateMachineAliasArn, request.through.aliasArn),
        request.statusFilter === undefined ? undefined : eq(executions.status, request.statusFilter),
        cursor === undefined ? undefined : sql`(${executions.startDate}, ${executions.arn}) < (${cursor[0]}::timestamptz, ${cursor[1]})`,
      ),
    )
    .orderBy(desc(executions.startDate), desc(executions.arn))
    .limit(size + 1);
  return toPage(rows, size, (last) => encodeToken(scope, [last.startDate.toISOString(), last.arn]));
}

function throughArn(request: ExecutionListRequest): string | undefined {
  if (request.through === undefined) return undefined;
  return "versionArn" in request.through ? request.through.versionArn : request.through.aliasArn;
}
