/**
 * What happened to each state of an execution, read from its history: every time a state was entered
 * (a "run", one per Map iteration or retry of the whole state), with its input, output, error and cause,
 * and one outcome per state name to colour the graph with.
 */
import type { HistoryEvent } from "../../../../../packages/asl/src/history-events.ts";
import type { ExecutionStatus } from "../api/api-types.ts";

export type Outcome = "succeeded" | "failed" | "caught" | "running" | "aborted" | "notReached";

export interface StateRun {
  name: string;
  enteredEventId: number;
  enteredAt: string;
  exitedAt?: string;
  input?: string;
  output?: string;
  error?: string;
  cause?: string;
  /** Failed attempts within this run that a Retry took over. */
  retries: number;
  /** How many redrives of the execution came before this run (0 in its first run). */
  redriveCount: number;
  outcome: Exclude<Outcome, "notReached">;
}

export interface ExecutionOutcomes {
  runs: StateRun[];
  /**
   * One outcome per state name, from the latest redrive that ran the state (a redriven state that now
   * succeeds is shown succeeded); states that never ran are absent.
   */
  byState: Map<string, Exclude<Outcome, "notReached">>;
  /** The id of the event that names the state owning each event (for the history table). */
  stateOfEvent: Map<number, string>;
}

/** The family of state an event belongs to (`TaskScheduled` -> Task); Activity events are a Task's. */
function family(type: string): string | undefined {
  if (type.startsWith("Activity") || type.startsWith("LambdaFunction")) return "Task";
  const match =
    /^(Task|Parallel|Map|Wait|Pass|Choice|Succeed|Fail)(?:State|Iteration|Run|Scheduled|Started|Succeeded|Failed|TimedOut|Submitted|Submit|Start)/.exec(
      type,
    );
  return match?.[1];
}

const isEntered = (type: string) => type.endsWith("StateEntered");
const isExited = (type: string) => type.endsWith("StateExited");

const FAILURES = new Set([
  "TaskFailed",
  "TaskTimedOut",
  "TaskStartFailed",
  "TaskSubmitFailed",
  "ActivityFailed",
  "LambdaFunctionFailed",
  "LambdaFunctionTimedOut",
  "ActivityTimedOut",
  "ActivityScheduleFailed",
  "ParallelStateFailed",
  "MapStateFailed",
  "MapRunFailed",
]);
const EXECUTION_FAILURES = new Set(["ExecutionFailed", "ExecutionTimedOut"]);
const RESTARTS = new Set(["TaskScheduled", "LambdaFunctionScheduled", "ActivityScheduled", "ParallelStateStarted", "MapStateStarted"]);
const SUCCESSES = new Set(["TaskSucceeded", "LambdaFunctionSucceeded", "ActivitySucceeded", "ParallelStateSucceeded", "MapStateSucceeded"]);

function errorOf(event: HistoryEvent): { error?: string; cause?: string } {
  const details =
    event.taskFailedEventDetails ??
    event.taskTimedOutEventDetails ??
    event.lambdaFunctionFailedEventDetails ??
    event.lambdaFunctionTimedOutEventDetails ??
    event.executionFailedEventDetails ??
    event.executionAbortedEventDetails ??
    event.executionTimedOutEventDetails ??
    event.evaluationFailedEventDetails ??
    event.mapRunFailedEventDetails ??
    (event as { activityFailedEventDetails?: { error?: string; cause?: string } }).activityFailedEventDetails;
  return {
    ...(details?.error === undefined ? {} : { error: details.error }),
    ...(details?.cause === undefined ? {} : { cause: details.cause }),
  };
}

/**
 * The StateEntered event a later event belongs to, following `previousEventId` back through its thread
 * (branches and iterations interleave in the history, but each links to its own predecessor). States
 * entered and exited on the way are skipped; `family` narrows the search to states of that kind, so a
 * Parallel's closing event is not pinned on a branch state that failed inside it.
 */
function ownerOf(event: HistoryEvent, byId: Map<number, HistoryEvent>, wanted: string | undefined): HistoryEvent | undefined {
  const closed = new Map<string, number>();
  let current = byId.get(event.previousEventId);
  while (current) {
    const kind = family(current.type);
    if (isExited(current.type) && kind) closed.set(kind, (closed.get(kind) ?? 0) + 1);
    else if (isEntered(current.type) && kind) {
      const open = closed.get(kind) ?? 0;
      if (open > 0) closed.set(kind, open - 1);
      else if (wanted === undefined || wanted === kind) return current;
    }
    current = current.previousEventId === 0 ? undefined : byId.get(current.previousEventId);
  }
  return undefined;
}

/** The interpreter's prefix on every cause of a failure inside a state. */
const CAUSE_PREFIX = /^An error occurred while executing the state '(.+?)' \(entered at the event id #(\d+)\)/;

/**
 * A failure with no event of its own (a path that matched nothing, say) shows only in the cause the
 * execution failed with, which names the state and the event that entered it: that run failed.
 */
function blameNamedState(event: HistoryEvent, runs: Map<number, StateRun & { lastResult?: "ok" | "fail" }>): void {
  const { error, cause } = errorOf(event);
  const match = cause === undefined ? null : CAUSE_PREFIX.exec(cause);
  const run = match ? runs.get(Number(match[2])) : undefined;
  if (!run || run.name !== match![1] || run.exitedAt !== undefined) return;
  if (run.error === undefined) Object.assign(run, error === undefined ? {} : { error }, { cause });
  run.lastResult = "fail";
}

const RANK: Record<Exclude<Outcome, "notReached">, number> = { failed: 5, aborted: 4, running: 3, caught: 2, succeeded: 1 };

export function executionOutcomes(history: readonly HistoryEvent[], status: ExecutionStatus): ExecutionOutcomes {
  const byId = new Map(history.map((e) => [e.id, e]));
  const runs = new Map<number, StateRun & { lastResult?: "ok" | "fail"; superseded?: boolean }>();
  const stateOfEvent = new Map<number, string>();
  let redriveCount = 0;
  for (const event of history) {
    if (event.type === "ExecutionRedriven") {
      // The runs the execution ended in are over: the redrive enters their state again as new runs.
      for (const run of runs.values()) {
        if (run.exitedAt !== undefined || run.superseded) continue;
        run.outcome = run.lastResult === "fail" ? "failed" : "aborted";
        run.superseded = true;
      }
      redriveCount += 1;
      continue;
    }
    if (isEntered(event.type)) {
      const details = event.stateEnteredEventDetails;
      const name = details?.name ?? "?";
      runs.set(event.id, {
        name,
        enteredEventId: event.id,
        enteredAt: event.timestamp,
        ...(details?.input === undefined ? {} : { input: details.input }),
        retries: 0,
        redriveCount,
        outcome: "running",
        ...(event.type === "FailStateEntered" ? { lastResult: "fail" as const } : {}),
      });
      stateOfEvent.set(event.id, name);
      continue;
    }
    const executionLevel = event.type.startsWith("Execution");
    const wanted = executionLevel || event.type === "EvaluationFailed" ? undefined : family(event.type);
    if (EXECUTION_FAILURES.has(event.type)) blameNamedState(event, runs);
    const owner = ownerOf(event, byId, wanted);
    const run = owner ? runs.get(owner.id) : undefined;
    if (!run) continue;
    if (!executionLevel) stateOfEvent.set(event.id, run.name);
    if (isExited(event.type)) {
      run.exitedAt = event.timestamp;
      const output = event.stateExitedEventDetails?.output;
      if (output !== undefined) run.output = output;
      run.outcome = run.lastResult === "fail" ? "caught" : "succeeded";
    } else if (run.exitedAt !== undefined) {
    } else if (FAILURES.has(event.type) || event.type === "EvaluationFailed") {
      Object.assign(run, errorOf(event));
      run.lastResult = "fail";
    } else if (EXECUTION_FAILURES.has(event.type)) {
      // The execution failed while in this state: the state's own failure, if it had one, says more.
      if (run.error === undefined) Object.assign(run, errorOf(event));
      run.lastResult = "fail";
    } else if (SUCCESSES.has(event.type)) {
      run.lastResult = "ok";
    } else if (RESTARTS.has(event.type) && run.lastResult === "fail") {
      // Started again after a failure: a Retry took over, so that failure was not the end.
      run.retries += 1;
      run.lastResult = undefined;
    }
  }
  const closed = status !== "RUNNING";
  const result: StateRun[] = [];
  for (const { lastResult, superseded, ...run } of runs.values()) {
    if (run.exitedAt === undefined && !superseded) {
      // Closed without leaving the state: it failed, or it was cut short (stopped, or a sibling failed).
      run.outcome = !closed ? "running" : lastResult === "fail" ? "failed" : "aborted";
    }
    result.push(run);
  }
  const byState = new Map<string, Exclude<Outcome, "notReached">>();
  const latestRedrive = new Map<string, number>();
  for (const run of result) {
    // Runs come in history order, so a later redrive's first run replaces what earlier ones showed.
    const previous = latestRedrive.get(run.name) === run.redriveCount ? byState.get(run.name) : undefined;
    latestRedrive.set(run.name, run.redriveCount);
    if (previous === undefined || RANK[run.outcome] > RANK[previous]) byState.set(run.name, run.outcome);
  }
  return { runs: result, byState, stateOfEvent };
}
