import type { HistoryEvent } from "../history-events.ts";
import type { StepEnvironment } from "./execution-info.ts";
import type { ThreadPosition } from "./position.ts";

/**
 * RedriveExecution: a failed, timed-out or aborted execution runs again from the state where its root
 * thread stopped, with that state's input. The `ExecutionRedriven` event comes first; the state is then
 * entered again by the next `advance`.
 */
export function redriveExecution(
  root: ThreadPosition,
  redriveCount: number,
  env: Pick<StepEnvironment, "now" | "nextEventId">,
): { event: HistoryEvent; position: ThreadPosition } {
  const event: HistoryEvent = {
    id: env.nextEventId,
    previousEventId: env.nextEventId - 1,
    timestamp: env.now.toISOString(),
    type: "ExecutionRedriven",
    executionRedrivenEventDetails: { redriveCount },
  };
  const { outcome: _outcome, task: _task, fanOut: _fanOut, timerId: _timerId, ...rest } = root;
  const position: ThreadPosition = { ...rest, phase: "enter", retryCounts: [], lastEventId: event.id };
  return { event, position };
}
