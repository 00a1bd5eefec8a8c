/** GetExecutionHistory: pages of events in AWS's shape, oldest or newest first. */
import type { HistoryEvent } from "@stepwise/asl";
import { DEFAULT_PAGE_SIZE, decodeToken, encodeToken, getExecution, getHistoryPage } from "@stepwise/storage";
import { z } from "zod";
import { type Action, action, byExecutionArn } from "./action.ts";
import { requireArn } from "./arn-checks.ts";
import { arnField, maxResultsField } from "./request-shape.ts";
import { epochSeconds, present } from "./wire.ts";

const historyRequest = z.object({
  executionArn: arnField,
  maxResults: maxResultsField,
  reverseOrder: z.boolean().optional(),
  nextToken: z.string().min(1).max(3096).optional(),
  includeExecutionData: z.boolean().optional(),
});

/** Execution data: the payloads events carry, left out when `includeExecutionData` is false. */
const DATA_FIELDS = new Set(["input", "output"]);

export function wireEvent(event: HistoryEvent, includeData: boolean): Record<string, unknown> {
  const { timestamp, ...rest } = event;
  const wire: Record<string, unknown> = { timestamp: epochSeconds(timestamp) };
  for (const [key, value] of Object.entries(rest)) {
    if (value === undefined) continue;
    wire[key] = includeData || typeof value !== "object" || value === null ? value : withoutData(value as Record<string, unknown>);
  }
  return wire;
}

function withoutData(details: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(details).filter(([key]) => !DATA_FIELDS.has(key)));
}

const getExecutionHistory: Action = action(historyRequest, byExecutionArn, async ({ runtime, config }, request) => {
  const arn = requireArn(request.executionArn, "execution");
  await getExecution(runtime.db, arn);
  const reverse = request.reverseOrder ?? false;
  // A token is only good for the listing it came from (same execution, same order).
  const scope = `history ${arn} ${reverse ? "reverse" : "forward"}`;
  const afterId = request.nextToken === undefined ? undefined : decodeToken(scope, request.nextToken, ["position"])[0];
  // maxResults is "only an upper limit" (AWS): a page also ends at the byte budget, with a nextToken.
  const page = await getHistoryPage(runtime.db, arn, {
    reverse,
    limit: request.maxResults || DEFAULT_PAGE_SIZE,
    maxBytes: config.STEPWISE_HISTORY_PAGE_BYTES,
    ...(afterId !== undefined ? { afterId } : {}),
  });
  const last = page.events.at(-1);
  const includeData = request.includeExecutionData ?? true;
  return present({
    events: page.events.map((event) => wireEvent(event, includeData)),
    nextToken: page.more && last ? encodeToken(scope, [last.id]) : undefined,
  });
});

export const historyActions: Record<string, Action> = { GetExecutionHistory: getExecutionHistory };
