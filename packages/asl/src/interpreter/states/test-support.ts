/** Reading the results of `runExecution` in the state tests: event types, events by type, times. */
import type { HistoryEvent, HistoryEventType } from "../../history-events.ts";
import type { RunResult } from "../../runner/run-execution.ts";

export function typesOf(result: RunResult): HistoryEventType[] {
  return result.events.map((e) => e.type);
}

export function eventsOf(result: RunResult, type: HistoryEventType): HistoryEvent[] {
  return result.events.filter((e) => e.type === type);
}

export function firstEvent(result: RunResult, type: HistoryEventType): HistoryEvent {
  const event = result.events.find((e) => e.type === type);
  if (!event) throw new Error(`no ${type} event in ${typesOf(result).join(", ")}`);
  return event;
}

/** Seconds from one event to the next in a list (for retry backoff and waits). */
export function gapsInSeconds(events: HistoryEvent[]): number[] {
  return events.slice(1).map((e, i) => (Date.parse(e.timestamp) - Date.parse((events[i] as HistoryEvent).timestamp)) / 1000);
}

/** The state's output as recorded in its StateExited event. */
export function exitedOutput(result: RunResult, stateName: string): unknown {
  const exited = result.events.find((e) => e.stateExitedEventDetails?.name === stateName);
  if (!exited?.stateExitedEventDetails) throw new Error(`state ${stateName} never exited`);
  return JSON.parse(exited.stateExitedEventDetails.output);
}
