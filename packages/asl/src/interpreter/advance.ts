/**
 * The interpreter: given where a thread stands and what just happened, move it on as far as it can go
 * without the outside world, and say which events to append and which effects to carry out.
 */
import type { MapState, ParallelState, State, TaskState, WaitState } from "../definition.ts";
import { runtimeError } from "../errors.ts";
import type { HistoryEvent, HistoryEventType } from "../history-events.ts";
import type { JsonObject } from "../json.ts";
import { unexecutedFields } from "../unsupported-features.ts";
import type { CompiledMachine } from "./compiled-machine.ts";
import type { ExecutionInfo, StepEnvironment } from "./execution-info.ts";
import { finishThread, guardSync, type Pending } from "./outcomes.ts";
import type { ThreadPosition } from "./position.ts";
import type { Effect, Trigger } from "./protocol.ts";
import { checkPayload } from "./state-data.ts";
import { runChoice } from "./states/choice.ts";
import { childFinished, resumeChildren, updateLimits } from "./states/fan-out.ts";
import { abortMapRun, itemsRead, joinMap, mapRunFailed, resultsWritten, resumeMap, startMap } from "./states/map.ts";
import { beginChildExecution, childExecutionEnded, runsAsChildExecution } from "./states/map-children.ts";
import { joinParallel, startParallel } from "./states/parallel.ts";
import { runPass } from "./states/pass.ts";
import { markTaskStarted, markTaskSubmitted, startTask, taskFailed, taskSucceeded } from "./states/task.ts";
import { runFail, runSucceed } from "./states/terminal.ts";
import { finishWait, startWait } from "./states/wait.ts";
import { StepContext } from "./step-context.ts";

export interface StepResult {
  position: ThreadPosition;
  events: HistoryEvent[];
  effects: Effect[];
}

/**
 * A step never runs away: a definition that loops through Pass/Choice states is cut off, and the
 * thread is left about to enter its next state for the runtime to continue.
 */
const MAX_STATES_PER_STEP = 10_000;

export async function advance(
  machine: CompiledMachine,
  position: ThreadPosition,
  trigger: Trigger,
  env: StepEnvironment,
  execution: ExecutionInfo,
): Promise<StepResult> {
  const ctx = new StepContext(machine, position, env, execution);
  if (position.phase === "done") return result(ctx);
  const reacting = react(ctx, trigger);
  if (reacting) await reacting;
  let entered = 0;
  while (ctx.position.phase === "enter" || ctx.position.phase === "begin") {
    if (ctx.position.phase === "begin") {
      // Only its parent starts a child execution (a late report of its previous run must not: after a
      // redrive it would start before the parent resumed, and its end reach a parent not yet waiting).
      if (trigger.type !== "run" && runsAsChildExecution(ctx)) break;
      beginChild(ctx);
      continue;
    }
    if (++entered > MAX_STATES_PER_STEP || historyFull(ctx)) break;
    const entering = enterState(ctx);
    if (entering) await entering;
  }
  return result(ctx);
}

function historyFull(ctx: StepContext): boolean {
  const limit = ctx.env.maxHistoryEvents;
  return limit !== undefined && ctx.env.nextEventId + ctx.events.length > limit;
}

function result(ctx: StepContext): StepResult {
  return { position: ctx.position, events: ctx.events, effects: ctx.effects };
}

function react(ctx: StepContext, trigger: Trigger): Pending {
  const { phase } = ctx.position;
  switch (trigger.type) {
    case "run":
      if (phase === "resume") {
        if (ctx.state.Type === "Map") resumeMap(ctx, ctx.state);
        else resumeChildren(ctx);
      }
      return;
    case "abort":
      abortMapRun(ctx);
      if (ctx.position.fanOut) ctx.effect({ type: "cancelChildren" });
      finishThread(ctx, { status: "ABORTED", error: trigger.error ?? null, cause: trigger.cause ?? null });
      return;
    case "fail":
      abortMapRun(ctx);
      if (ctx.position.fanOut) ctx.effect({ type: "cancelChildren" });
      finishThread(ctx, { status: "FAILED", error: trigger.error, cause: trigger.cause });
      return;
    case "executionTimedOut":
      abortMapRun(ctx);
      if (ctx.position.fanOut) ctx.effect({ type: "cancelChildren" });
      finishThread(ctx, { status: "TIMED_OUT", error: "States.Timeout", cause: "The execution exceeded its TimeoutSeconds." });
      return;
    case "taskStarted":
      if (awaits(ctx, trigger.taskId)) markTaskStarted(ctx);
      return;
    case "taskSubmitted":
      if (awaits(ctx, trigger.taskId)) markTaskSubmitted(ctx, trigger.output);
      return;
    case "taskSucceeded":
      if (awaits(ctx, trigger.taskId)) return taskSucceeded(ctx, ctx.state as TaskState, trigger.output);
      if (awaitsDataset(ctx, trigger.taskId)) {
        const state = ctx.state as MapState;
        return phase === "awaitItems" ? itemsRead(ctx, state, trigger.output) : resultsWritten(ctx, state, trigger.output);
      }
      return;
    case "taskFailed":
      if (awaits(ctx, trigger.taskId)) return taskFailed(ctx, trigger.error, trigger.cause);
      if (awaitsDataset(ctx, trigger.taskId)) return mapRunFailed(ctx, trigger.error, trigger.cause);
      return;
    case "taskTimedOut":
      if (awaits(ctx, trigger.taskId)) return taskFailed(ctx, trigger.error, trigger.cause ?? null, true);
      return;
    case "timerFired":
      if (trigger.timerId !== ctx.position.timerId) return;
      ctx.update({ timerId: undefined });
      if (phase === "awaitTimer") return finishWait(ctx, ctx.state as WaitState);
      if (phase === "awaitRetry") return execute(ctx, ctx.state);
      return;
    case "childFinished":
      return childFinished(ctx, trigger.outcome, trigger.fanOutId);
    case "childExecutionEnded":
      childExecutionEnded(ctx, trigger.outcome, trigger.redriveCount, trigger.stopDate);
      return;
    case "updateMapRun":
      if (ctx.position.fanOut?.id !== trigger.fanOutId) return;
      return updateLimits(ctx, trigger);
    case "joined":
      if (phase !== "awaitJoin") return;
      if (ctx.state.Type === "Map") return joinMap(ctx, ctx.state, trigger.results, trigger.entries);
      return joinParallel(ctx, ctx.state as ParallelState, trigger.results);
  }
}

/** Reports for another attempt (late, repeated, or from before a retry) are stale. */
function awaits(ctx: StepContext, taskId: string): boolean {
  return ctx.position.phase === "awaitTask" && ctx.position.task?.id === taskId;
}

/** A distributed Map's read or write (see map.ts), answered like a task. */
function awaitsDataset(ctx: StepContext, taskId: string): boolean {
  const { phase, task } = ctx.position;
  return (phase === "awaitItems" || phase === "awaitWrite") && task?.id === taskId;
}

function beginChild(ctx: StepContext): void {
  if (runsAsChildExecution(ctx)) {
    beginChildExecution(ctx);
    return;
  }
  const { scope, parent } = ctx.position;
  const owner = scope[scope.length - 1];
  if (owner && owner.branch === undefined) {
    ctx.emit("MapIterationStarted", { mapIterationStartedEventDetails: { name: owner.state, index: parent?.index ?? 0 } });
  }
  const { childRun } = ctx.position;
  if (childRun) {
    const { stopDate: _stopDate, ...kept } = childRun;
    ctx.update({ childRun: { ...kept, startDate: ctx.timestamp } });
  }
  ctx.update({ phase: "enter" });
}

function enterState(ctx: StepContext): Pending {
  const state = ctx.state;
  const entered = ctx.emit(`${state.Type}StateEntered` as HistoryEventType, {
    stateEnteredEventDetails: {
      name: ctx.position.stateName,
      input: ctx.jsonText(ctx.position.stateInput),
      inputDetails: { truncated: false },
    },
  });
  // Field by field rather than ctx.update: this runs for every state, and Object.assign costs more here.
  const { position } = ctx;
  position.enteredEventId = entered.id;
  position.enteredTime = ctx.timestamp;
  position.retryCounts = [];
  // An input over the quota is raised instead of running the state.
  return guardSync(ctx, () => checkPayload(ctx, ctx.position.stateInput, "input")) ?? execute(ctx, state);
}

/** Do what the state does; states that wait for the outside world leave the thread in an await phase. */
function execute(ctx: StepContext, state: State): Pending {
  switch (state.Type) {
    case "Pass":
      return runPass(ctx, state);
    case "Choice":
      return runChoice(ctx, state);
    case "Succeed":
      return runSucceed(ctx, state);
    case "Fail":
      return runFail(ctx, state);
    case "Wait":
      return startWait(ctx, state);
    case "Task":
      return startTask(ctx, state);
    case "Parallel":
      return startParallel(ctx, state);
    case "Map":
      return refuseUnexecuted(ctx, state) ?? startMap(ctx, state as MapState);
  }
}

/** A state using a field Stepwise does not execute fails the run, naming the field (see unsupported-features.ts). */
function refuseUnexecuted(ctx: StepContext, state: State): Pending {
  return guardSync(ctx, () => {
    const [unexecuted] = unexecutedFields(ctx.position.stateName, state as unknown as JsonObject);
    if (unexecuted !== undefined) throw runtimeError(unexecuted.message);
  });
}
