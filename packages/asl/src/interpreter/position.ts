/**
 * Where one thread of an execution stands. A thread walks one States block: the top level (the root
 * thread, id ""), a Parallel branch or a Map iteration. Positions are plain JSON so the runtime can store
 * them and hand them back; the interpreter never keeps anything between calls.
 */
import type { Json, JsonObject } from "../json.ts";

/** One step down into a nested States block. */
export interface ScopeStep {
  /** The Parallel or Map state that owns the block. */
  state: string;
  /** Parallel: which branch. Absent for a Map's item processor. */
  branch?: number;
}

export type ThreadPhase =
  /** A child thread not yet started (a Map iteration emits MapIterationStarted first). */
  | "begin"
  /** About to enter `stateName`. */
  | "enter"
  | "awaitTask"
  | "awaitTimer"
  | "awaitRetry"
  | "awaitChildren"
  | "awaitJoin"
  /** A distributed Map waiting for its ItemReader's items (`task` names the read). */
  | "awaitItems"
  /** A distributed Map waiting for its ResultWriter to export the results (`task` names the write). */
  | "awaitWrite"
  /**
   * A distributed Map's item whose child workflow execution runs (see states/map-children.ts): it waits
   * for that execution's end, reported with `childExecutionEnded`.
   */
  | "awaitExecution"
  /**
   * A Parallel or Map state carrying on after RedriveExecution: its next `run` starts the children that
   * run again (the others keep the results they had).
   */
  | "resume"
  | "done";

export type ThreadOutcome =
  | { status: "SUCCEEDED"; output: Json }
  | { status: "FAILED"; error: string | null; cause: string | null }
  | { status: "ABORTED"; error: string | null; cause: string | null }
  | { status: "TIMED_OUT"; error: string | null; cause: string | null };

/** A Parallel or Map state waiting for its children. */
export interface FanOut {
  /** Identifies this fan-out: reports from the children of an earlier one of the same state are stale. */
  id: string;
  kind: "parallel" | "map";
  total: number;
  /** Index of the next child to start (children start in index order). */
  nextIndex: number;
  running: number;
  succeeded: number;
  failed: number;
  /** 0 means unlimited. */
  maxConcurrency: number;
  toleratedFailureCount?: number;
  toleratedFailurePercentage?: number;
  /** The first child failure, kept to fail the state with it. */
  firstFailure?: { error: string | null; cause: string | null };
  /**
   * After a redrive: the indices of the children that run again, ascending. `nextIndex` then counts
   * through this list instead of through every index.
   */
  rerun?: number[];
  /** How many redrives resumed this fan-out (a distributed Map's Map Run redrive count). */
  redriveCount?: number;
  /**
   * A distributed Map Run that failed and exports its results first, as AWS does: the error the Map
   * fails with once the ResultWriter has written them.
   */
  failure?: { error: string | null; cause: string | null };
}

/** A Task waiting for its result. */
export interface PendingTask {
  /** Identifies this attempt: results for any other attempt are stale and ignored. */
  id: string;
  resource: string;
  resourceType: string;
  resourceName: string;
  started: boolean;
  /** The Resource is a Lambda function's ARN: its events are LambdaFunction* ones. */
  lambdaFunction?: boolean;
  /** TaskSubmitted was recorded (the service took the request; a callback or the job completes it). */
  submitted?: boolean;
}

export interface ChildRun {
  /** Kept where the thread's own stateInput will not stay the child's input (it runs in this execution). */
  input?: Json;
  startDate?: string;
  stopDate?: string;
  /** How many redrives ran this child workflow again (its ResultWriter entry's RedriveCount). */
  redriveCount?: number;
}

export interface ThreadPosition {
  threadId: string;
  scope: ScopeStep[];
  /** For a child: its parent's thread id and its index among the parent's children. */
  parent?: { threadId: string; index: number; fanOutId: string };
  phase: ThreadPhase;
  stateName: string;
  /** Input of the current state, as recorded in its StateEntered event. */
  stateInput: Json;
  enteredEventId: number;
  enteredTime: string;
  lastEventId: number;
  /** Attempts used per retrier of the current state. */
  retryCounts: number[];
  variables: JsonObject;
  /** A Map iteration's item, for `$$.Map.Item`. */
  mapItem?: { index: number; value: Json };
  /** A distributed Map item: runs like any thread, but records no events in the parent's history. */
  hidden?: boolean;
  /** A distributed Map's child workflow execution: its input and dates, for its ResultWriter entry. */
  childRun?: ChildRun;
  task?: PendingTask;
  /** The timer the thread waits for (Wait or retry backoff); other timers are stale. */
  timerId?: string;
  fanOut?: FanOut;
  outcome?: ThreadOutcome;
  /**
   * How many of this thread's steps drew randomness (task and timer ids, retry jitter); absent for none.
   * The runtime keeps it and draws each step's randomness from it, so a step run again after a rollback
   * draws what it drew the first time, whatever else happened in between.
   */
  draws?: number;
}

export const ROOT_THREAD_ID = "";

/**
 * A copy to change in place, with the same fields set. Spelled out rather than `{ ...position }`:
 * V8 makes adding a field to an object copied by spread cost about a microsecond, far more than a
 * state's own work, and a step adds several (task, fanOut, outcome...).
 */
export function copyPosition(p: ThreadPosition): ThreadPosition {
  const copy: ThreadPosition = {
    threadId: p.threadId,
    scope: p.scope,
    phase: p.phase,
    stateName: p.stateName,
    stateInput: p.stateInput,
    enteredEventId: p.enteredEventId,
    enteredTime: p.enteredTime,
    lastEventId: p.lastEventId,
    retryCounts: p.retryCounts,
    variables: p.variables,
  };
  if (p.parent !== undefined) copy.parent = p.parent;
  if (p.mapItem !== undefined) copy.mapItem = p.mapItem;
  if (p.hidden !== undefined) copy.hidden = p.hidden;
  if (p.childRun !== undefined) copy.childRun = p.childRun;
  if (p.task !== undefined) copy.task = p.task;
  if (p.timerId !== undefined) copy.timerId = p.timerId;
  if (p.fanOut !== undefined) copy.fanOut = p.fanOut;
  if (p.outcome !== undefined) copy.outcome = p.outcome;
  if (p.draws !== undefined) copy.draws = p.draws;
  return copy;
}

export function childThreadId(parent: ThreadPosition, index: number): string {
  const prefix = parent.threadId === ROOT_THREAD_ID ? "" : `${parent.threadId}/`;
  return `${prefix}${parent.stateName}#${index}`;
}
