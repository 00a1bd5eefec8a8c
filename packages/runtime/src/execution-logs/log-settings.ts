/**
 * A state machine's LoggingConfiguration as the engine uses it: which history events an execution logs
 * (AWS's log levels) and whether their payloads go with them. OFF is `undefined`, so a transition of an
 * execution that logs nothing does no per-event work at all.
 */
import type { HistoryEventType } from "@stepwise/asl";

export type LoggedLevel = "ALL" | "ERROR" | "FATAL";

export interface ExecutionLogSettings {
  level: LoggedLevel;
  includeExecutionData: boolean;
}

/** FATAL: only the events that end an execution unsuccessfully (AWS's "Log levels for execution events"). */
const FATAL_EVENTS: ReadonlySet<HistoryEventType> = new Set(["ExecutionAborted", "ExecutionFailed", "ExecutionTimedOut"]);

/** ERROR: every failure event, FATAL's included. */
const ERROR_EVENTS: ReadonlySet<HistoryEventType> = new Set<HistoryEventType>([
  ...FATAL_EVENTS,
  "ActivityFailed",
  "ActivityScheduleFailed",
  "ActivityTimedOut",
  "EvaluationFailed",
  "FailStateEntered",
  "LambdaFunctionFailed",
  "LambdaFunctionTimedOut",
  "MapIterationAborted",
  "MapIterationFailed",
  "MapRunAborted",
  "MapRunFailed",
  "MapStateAborted",
  "MapStateFailed",
  "ParallelStateAborted",
  "ParallelStateFailed",
  "TaskFailed",
  "TaskStartFailed",
  "TaskStateAborted",
  "TaskSubmitFailed",
  "TaskTimedOut",
  "WaitStateAborted",
]);

/** The stored LoggingConfiguration (JSON text or object, as machine-settings.ts normalised it); undefined when it logs nothing. */
export function logSettingsOf(stored: string | object | null | undefined): ExecutionLogSettings | undefined {
  if (stored === null || stored === undefined) return undefined;
  const config = (typeof stored === "string" ? JSON.parse(stored) : stored) as { level?: unknown; includeExecutionData?: unknown };
  const level = config.level;
  if (level !== "ALL" && level !== "ERROR" && level !== "FATAL") return undefined;
  return { level, includeExecutionData: config.includeExecutionData === true };
}

export function isLogged(level: LoggedLevel, type: HistoryEventType): boolean {
  if (level === "ALL") return true;
  return (level === "ERROR" ? ERROR_EVENTS : FATAL_EVENTS).has(type);
}
