/**
 * A history event as AWS writes it to CloudWatch Logs: one JSON object per event, snake_case envelope,
 * numbers as strings, the event's details flattened into `details`. Without includeExecutionData the
 * payloads (input, output, parameters, assigned variables) and their `…Details` are left out.
 */
import type { HistoryEvent } from "@stepwise/asl";

export interface ExecutionLogRecord {
  id: string;
  type: string;
  details: Record<string, unknown>;
  previous_event_id: string;
  event_timestamp: string;
  execution_arn: string;
  redrive_count: string;
}

/** Fields of event details that carry execution data. */
const PAYLOAD_FIELDS = new Set([
  "input",
  "inputDetails",
  "output",
  "outputDetails",
  "parameters",
  "assignedVariables",
  "assignedVariablesDetails",
]);

export function logRecord(
  event: HistoryEvent,
  executionArn: string,
  redriveCount: number,
  includeExecutionData: boolean,
): ExecutionLogRecord {
  const { id, previousEventId, timestamp, type, ...detailObjects } = event;
  const details: Record<string, unknown> = {};
  // An event carries at most one `…EventDetails` object; AWS's record holds its fields directly.
  for (const value of Object.values(detailObjects)) {
    if (!value || typeof value !== "object") continue;
    for (const [field, fieldValue] of Object.entries(value)) {
      if (includeExecutionData || !PAYLOAD_FIELDS.has(field)) details[field] = fieldValue;
    }
  }
  return {
    id: String(id),
    type,
    details,
    previous_event_id: String(previousEventId),
    event_timestamp: String(Date.parse(timestamp)),
    execution_arn: executionArn,
    redrive_count: String(redriveCount),
  };
}
