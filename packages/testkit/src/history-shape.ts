/**
 * What any history must look like, whatever happened to the processes that wrote it: ids 1..n with no
 * gap or duplicate, ExecutionStarted first, a terminal event only last (or right before a redrive), and
 * every event linked (previousEventId) to an earlier one its type may follow. A transition applied twice
 * leaves an event with two successors, so each event may have one, except where a Parallel or Map fans
 * out into branches.
 */
import type { HistoryEvent, HistoryEventType } from "@stepwise/asl";

export const TERMINAL_EVENTS: ReadonlySet<HistoryEventType> = new Set([
  "ExecutionSucceeded",
  "ExecutionFailed",
  "ExecutionTimedOut",
  "ExecutionAborted",
]);
/** Events several threads may carry on from: a fan-out, and a redrive that resumes a fan-out's children. */
const FAN_OUT: ReadonlySet<HistoryEventType> = new Set(["ParallelStateStarted", "MapStateStarted", "ExecutionRedriven"]);
/** A fan-out's own end, as opposed to the first event of one of its branches. */
const FAN_IN: ReadonlySet<HistoryEventType> = new Set([
  "ParallelStateExited",
  "ParallelStateFailed",
  "ParallelStateAborted",
  "MapStateSucceeded",
  "MapStateFailed",
  "MapStateAborted",
]);
/** The only events a task event may follow in its thread. */
const FOLLOWS: Partial<Record<HistoryEventType, ReadonlySet<HistoryEventType>>> = {
  TaskScheduled: new Set(["TaskStateEntered", "TaskFailed", "TaskTimedOut"]),
  TaskStarted: new Set(["TaskScheduled"]),
  TaskSubmitted: new Set(["TaskStarted"]),
  TaskSucceeded: new Set(["TaskStarted", "TaskSubmitted"]),
  TaskFailed: new Set(["TaskStarted", "TaskSubmitted"]),
  LambdaFunctionScheduled: new Set(["TaskStateEntered", "LambdaFunctionFailed", "LambdaFunctionTimedOut"]),
  LambdaFunctionStarted: new Set(["LambdaFunctionScheduled"]),
  LambdaFunctionSucceeded: new Set(["LambdaFunctionStarted"]),
  LambdaFunctionFailed: new Set(["LambdaFunctionStarted"]),
  TaskStateExited: new Set([
    "TaskSucceeded",
    "TaskFailed",
    "TaskTimedOut",
    "LambdaFunctionSucceeded",
    "LambdaFunctionFailed",
    "LambdaFunctionTimedOut",
  ]),
};

/** The first thing wrong with the shape of `history`, or undefined when it is well formed. */
export function historyShapeProblem(history: readonly HistoryEvent[]): string | undefined {
  const first = history[0];
  if (first?.type !== "ExecutionStarted" || first.previousEventId !== 0) return `starts with ${first?.type ?? "nothing"}`;
  const successors = new Map<number, HistoryEvent[]>();
  for (const [i, event] of history.entries()) {
    if (event.id !== i + 1) return `event ${i + 1} has id ${event.id} (a gap or a duplicate)`;
    if (i === 0) continue;
    if (event.previousEventId < 1 || event.previousEventId >= event.id)
      return `event ${event.id} ${event.type} follows ${event.previousEventId}`;
    const previous = history[event.previousEventId - 1] as HistoryEvent;
    const allowed = FOLLOWS[event.type];
    if (allowed && !allowed.has(previous.type)) return `event ${event.id} ${event.type} follows ${previous.type}`;
    const next = history[i + 1];
    if (TERMINAL_EVENTS.has(event.type) && next && next.type !== "ExecutionRedriven")
      return `terminal event ${event.id} ${event.type} is not last (${next.type} follows)`;
    successors.set(previous.id, [...(successors.get(previous.id) ?? []), event]);
  }
  for (const [id, next] of successors) {
    const parent = history[id - 1] as HistoryEvent;
    const joins = FAN_OUT.has(parent.type) ? next.filter((e) => FAN_IN.has(e.type)).length : next.length;
    if (joins > 1) return `event ${id} ${parent.type} is followed ${joins} times (${next.map((e) => `${e.id}:${e.type}`).join(", ")})`;
  }
  return undefined;
}
