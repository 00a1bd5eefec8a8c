/**
 * How a state ends: it moves on to the next state, ends its thread, or raises an error that its
 * retriers and catchers get to handle. Every way out of a state goes through here.
 */
import type { Catcher, Retrier, State } from "../definition.ts";
import { errorOutput, findCatcher } from "../error-handling/catch.ts";
import { decideRetry } from "../error-handling/retry.ts";
import { StatesError, StatesErrorName } from "../errors.ts";
import type { HistoryEventType } from "../history-events.ts";
import type { Json } from "../json.ts";
import { setJsonProperty } from "../own-property.ts";
import { catcherOutput } from "./catch-output.ts";
import { ROOT_THREAD_ID, type ThreadOutcome } from "./position.ts";
import { checkPayload, type StateOutput } from "./state-data.ts";
import type { StepContext } from "./step-context.ts";

const PAYLOAD_DETAILS = { truncated: false };

export function emitStateExited(ctx: StepContext, result: StateOutput): void {
  const assignedVariables = result.assigned ? stringifyValues(result.assigned) : undefined;
  ctx.emit(`${ctx.state.Type}StateExited` as HistoryEventType, {
    stateExitedEventDetails: {
      name: ctx.position.stateName,
      output: ctx.jsonText(result.output),
      outputDetails: PAYLOAD_DETAILS,
      ...(assignedVariables ? { assignedVariables, assignedVariablesDetails: PAYLOAD_DETAILS } : {}),
    },
  });
}

function stringifyValues(values: Record<string, Json>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) setJsonProperty(out, k, JSON.stringify(v));
  return out;
}

/** Leave the current state: exit event, variables, then the next state or the end of the thread. */
export function leaveState(ctx: StepContext, result: StateOutput, next: string | undefined): void {
  checkPayload(ctx, result.output, "output");
  emitStateExited(ctx, result);
  if (result.assigned) ctx.update({ variables: { ...ctx.position.variables, ...result.assigned } });
  if (next === undefined) {
    finishThread(ctx, { status: "SUCCEEDED", output: result.output });
  } else {
    // Field by field rather than ctx.update: this runs for every state, and Object.assign costs more here.
    const { position } = ctx;
    position.stateName = next;
    position.phase = "enter";
    position.stateInput = result.output;
    position.retryCounts = [];
    position.task = undefined;
    position.fanOut = undefined;
  }
}

export function nextOf(state: State): string | undefined {
  return "Next" in state && typeof state.Next === "string" ? state.Next : undefined;
}

/** The thread is over. The root thread's end is the execution's end. */
export function finishThread(ctx: StepContext, outcome: ThreadOutcome): void {
  const { position } = ctx;
  const errorDetails = outcome.status === "SUCCEEDED" ? undefined : definedErrorDetails(outcome.error, outcome.cause);
  if (position.threadId === ROOT_THREAD_ID) {
    if (outcome.status === "SUCCEEDED") {
      ctx.emit("ExecutionSucceeded", {
        executionSucceededEventDetails: { output: ctx.jsonText(outcome.output), outputDetails: PAYLOAD_DETAILS },
      });
    } else if (outcome.status === "FAILED") {
      ctx.emit("ExecutionFailed", { executionFailedEventDetails: errorDetails });
    } else if (outcome.status === "ABORTED") {
      ctx.emit("ExecutionAborted", { executionAbortedEventDetails: errorDetails });
    } else {
      ctx.emit("ExecutionTimedOut", { executionTimedOutEventDetails: errorDetails });
    }
  } else if (isMapIteration(ctx)) {
    const details = { name: parentStateName(ctx), index: position.parent?.index ?? 0 };
    if (outcome.status === "SUCCEEDED") ctx.emit("MapIterationSucceeded", { mapIterationSucceededEventDetails: details });
    else if (outcome.status === "FAILED") ctx.emit("MapIterationFailed", { mapIterationFailedEventDetails: details });
    else ctx.emit("MapIterationAborted", { mapIterationAbortedEventDetails: details });
  }
  ctx.update({ phase: "done", outcome, task: undefined });
  if (position.childRun) ctx.update({ childRun: { ...position.childRun, stopDate: ctx.timestamp } });
  ctx.effect({ type: "finished", outcome });
}

function definedErrorDetails(error: string | null, cause: string | null) {
  return { ...(error !== null ? { error } : {}), ...(cause !== null ? { cause } : {}) };
}

export function isMapIteration(ctx: StepContext): boolean {
  const last = ctx.position.scope[ctx.position.scope.length - 1];
  return last !== undefined && last.branch === undefined;
}

function parentStateName(ctx: StepContext): string {
  return ctx.position.scope[ctx.position.scope.length - 1]?.state ?? "";
}

export interface RaiseOptions {
  /** Errors found while evaluating the state's own fields get AWS's "An error occurred…" prefix. */
  fromEvaluation?: boolean;
  /** `task` lets `States.TaskFailed` match. */
  origin?: "task" | "state";
  /** Event to emit when the state gives up (MapStateFailed, ParallelStateFailed). */
  failedEvent?: HistoryEventType;
  location?: string;
}

/** A state raised an error: retry it, catch it, or fail the thread with it. */
export async function raise(ctx: StepContext, error: string | null, rawCause: string | null, options: RaiseOptions = {}): Promise<void> {
  const cause = options.fromEvaluation ? `${evaluationPrefix(ctx)}${rawCause ?? ""}` : rawCause;
  const state = ctx.state as State & { Retry?: Retrier[]; Catch?: Catcher[] };
  if (error === StatesErrorName.QueryEvaluationError && options.fromEvaluation) {
    ctx.emit("EvaluationFailed", {
      evaluationFailedEventDetails: {
        error,
        ...(cause !== null ? { cause } : {}),
        ...(options.location ? { location: options.location } : {}),
        state: ctx.position.stateName,
      },
    });
  }
  const origin = options.origin ?? "state";
  const retry = decideRetry(state.Retry, ctx.position.retryCounts, error, origin, ctx.env.random);
  if (retry) {
    const retryCounts = [...ctx.position.retryCounts];
    retryCounts[retry.retrierIndex] = (retryCounts[retry.retrierIndex] ?? 0) + 1;
    const timerId = ctx.newId();
    ctx.update({ phase: "awaitRetry", retryCounts, task: undefined, fanOut: undefined, timerId });
    ctx.effect({ type: "startTimer", timerId, reason: "retry", fireAt: new Date(ctx.now.getTime() + retry.delayMs).toISOString() });
    return;
  }
  if (options.failedEvent) ctx.emit(options.failedEvent);
  const catcher = error === StatesErrorName.Runtime ? null : findCatcher(state.Catch, error, origin);
  if (!catcher) {
    finishThread(ctx, { status: "FAILED", error, cause });
    return;
  }
  try {
    const result = await catcherOutput(ctx, catcher, errorOutput(error, cause));
    leaveState(ctx, result, catcher.Next);
  } catch (e) {
    if (!(e instanceof StatesError)) throw e;
    finishThread(ctx, { status: "FAILED", error: e.error, cause: `${evaluationPrefix(ctx)}${e.causeText ?? ""}` });
  }
}

export function evaluationPrefix(ctx: StepContext): string {
  return `An error occurred while executing the state '${ctx.position.stateName}' (entered at the event id #${ctx.position.enteredEventId}). `;
}

type GuardOptions = Omit<RaiseOptions, "fromEvaluation">;

/**
 * Run a piece of state evaluation; a StatesError it throws is raised on the state.
 * Returns whether the work completed (false: the error was raised and handled).
 */
export async function guard(ctx: StepContext, work: () => Promise<void> | void, options: GuardOptions = {}): Promise<boolean> {
  try {
    await work();
    return true;
  } catch (e) {
    await raiseThrown(ctx, e, options);
    return false;
  }
}

/**
 * Work a state has to wait for (JSONata evaluates asynchronously), or nothing: JSONPath evaluation is
 * synchronous, and a promise per step of it cost a Pass state more than the rest of its work.
 */
export type Pending = Promise<unknown> | undefined;

/**
 * `guard` for synchronous work: nothing to wait for when the work completed, otherwise the raising
 * of its error.
 */
export function guardSync(ctx: StepContext, work: () => void, options: GuardOptions = {}): Pending {
  try {
    work();
    return undefined;
  } catch (e) {
    return raiseThrown(ctx, e, options);
  }
}

function raiseThrown(ctx: StepContext, e: unknown, options: GuardOptions): Promise<void> {
  if (!(e instanceof StatesError)) throw e;
  return raise(ctx, e.error, e.causeText, { ...options, fromEvaluation: true, location: options.location ?? locationOf(e) });
}

function locationOf(e: StatesError): string | undefined {
  const match = /specified for the field '([^']+)'/.exec(e.causeText ?? "");
  return match?.[1];
}
