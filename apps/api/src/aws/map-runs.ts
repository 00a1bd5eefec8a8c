/**
 * DescribeMapRun, ListMapRuns and UpdateMapRun: the Map Runs of distributed Map states. Each item runs as
 * one child workflow, so AWS's item and child workflow execution counts are the same numbers here.
 */
import { parseArn } from "@stepwise/runtime";
import { DEFAULT_PAGE_SIZE, decodeToken, encodeToken, getMapRun, listMapRuns, type MapRunCounts } from "@stepwise/storage";
import { z } from "zod";
import { type Action, action, byExecutionArn } from "./action.ts";
import { requireArn } from "./arn-checks.ts";
import { invalidArn, validationError } from "./aws-error.ts";
import { arnField, longArnField, maxResultsField, nextTokenField } from "./request-shape.ts";
import { epochSeconds, present } from "./wire.ts";

/** `…:mapRun:<machine>:<execution>/<label>:<id>` in Stepwise; AWS's own `…:mapRun:<machine>/<label>:<id>` is well formed too. */
function requireMapRunArn(arn: string): string {
  const parsed = parseArn(arn);
  if (!parsed) throw invalidArn(`Invalid ARN prefix: ${arn}`);
  if (parsed.resourceType !== "mapRun") throw invalidArn(`Resource type not valid in this context: ${parsed.resourceType.toLowerCase()}`);
  if (!/^[^/]+\/.+:[^:]+$/.test(parsed.resourceName)) throw invalidArn(`Invalid ARN: ${arn}`);
  return arn;
}

/** Items end in a Map's results, not in a ResultWriter's files, and nothing is left to redrive once a redrive ran. */
const wireCounts = (counts: MapRunCounts) => ({ ...counts, resultsWritten: 0, failuresNotRedrivable: 0, pendingRedrive: 0 });

const describeMapRun: Action = action(
  z.object({ mapRunArn: longArnField }),
  (request) => [{ arn: request.mapRunArn }],
  async ({ runtime }, request) => {
    const run = await getMapRun(runtime.db, requireMapRunArn(request.mapRunArn));
    const counts = wireCounts(run.counts);
    return present({
      mapRunArn: run.mapRunArn,
      executionArn: run.executionArn,
      status: run.status,
      startDate: epochSeconds(run.startDate),
      stopDate: run.stopDate ? epochSeconds(run.stopDate) : undefined,
      maxConcurrency: run.maxConcurrency,
      toleratedFailurePercentage: run.toleratedFailurePercentage,
      toleratedFailureCount: run.toleratedFailureCount,
      itemCounts: counts,
      executionCounts: counts,
      redriveCount: run.redriveCount,
      redriveDate: run.redriveDate ? epochSeconds(run.redriveDate) : undefined,
    });
  },
);

const listMapRunsAction: Action = action(
  z.object({ executionArn: arnField, maxResults: maxResultsField, nextToken: nextTokenField }),
  byExecutionArn,
  async ({ runtime }, request) => {
    const arn = requireArn(request.executionArn, "execution");
    // A token is only good for the execution it came from; it holds the position after the last run it listed.
    const scope = `mapRuns ${arn}`;
    const from = request.nextToken === undefined ? 0 : decodeToken(scope, request.nextToken, ["position"])[0];
    const size = request.maxResults || DEFAULT_PAGE_SIZE;
    const runs = await listMapRuns(runtime.db, arn);
    const page = runs.slice(from, from + size);
    return present({
      mapRuns: page.map((run) =>
        present({
          executionArn: run.executionArn,
          mapRunArn: run.mapRunArn,
          stateMachineArn: run.stateMachineArn,
          startDate: epochSeconds(run.startDate),
          stopDate: run.stopDate ? epochSeconds(run.stopDate) : undefined,
        }),
      ),
      nextToken: from + size < runs.length ? encodeToken(scope, [from + size]) : undefined,
    });
  },
);

const updateRequest = z.object({
  mapRunArn: longArnField,
  maxConcurrency: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .optional(),
  toleratedFailureCount: z.number().int().min(0).optional(),
  toleratedFailurePercentage: z.number().min(0).max(100).optional(),
});

/** The new limits reach the Map's thread as a transition, as every change of an execution does. */
const updateMapRun: Action = action(
  updateRequest,
  (request) => [{ arn: request.mapRunArn }],
  async ({ runtime }, { mapRunArn, ...limits }) => {
    if (Object.values(limits).every((value) => value === undefined)) {
      throw validationError("At least one of maxConcurrency, toleratedFailureCount and toleratedFailurePercentage is required");
    }
    const run = await getMapRun(runtime.db, requireMapRunArn(mapRunArn));
    if (!run.mapThread) throw validationError(`Map Run ${mapRunArn} is ${run.status}: only a running Map Run can be updated`);
    await runtime.engine.updateMapRun(run.executionArn, run.mapThread.threadId, run.mapThread.fanOutId, limits);
    return {};
  },
);

export const mapRunActions: Record<string, Action> = {
  DescribeMapRun: describeMapRun,
  ListMapRuns: listMapRunsAction,
  UpdateMapRun: updateMapRun,
};
