/**
 * Children of Parallel and Map states: creating them, starting them within MaxConcurrency, counting
 * their outcomes against the tolerated failures, and joining their results. Shared by both states so
 * the cluster-wide semantics live in one place.
 */

import { isDistributedMap, type MapState } from "../../definition.ts";
import { StatesErrorName } from "../../errors.ts";
import type { Json } from "../../json.ts";
import { type Pending, raise } from "../outcomes.ts";
import { childThreadId, type FanOut, type ScopeStep, type ThreadOutcome, type ThreadPosition } from "../position.ts";
import type { MapRunLimits } from "../protocol.ts";
import type { StepContext } from "../step-context.ts";
import { exportFailedRun, exportsResults } from "./map.ts";

export interface ChildSpec {
  scope: ScopeStep[];
  startAt: string;
  input: Json;
  mapItem?: { index: number; value: Json };
  /** Items of a distributed Map run as child workflows: their events stay out of this history. */
  hidden?: boolean;
  childRun?: { input: Json };
}

export function fanOut(
  ctx: StepContext,
  kind: FanOut["kind"],
  specs: ChildSpec[],
  limits: Omit<FanOut, "id" | "kind" | "total" | "nextIndex" | "running" | "succeeded" | "failed">,
  /** Drawn already: a distributed Map names its Map Run with it before the fan-out. */
  id = ctx.newId(),
): void {
  const parent = ctx.position;
  const children: ThreadPosition[] = specs.map((spec, index) => ({
    threadId: childThreadId(parent, index),
    scope: spec.scope,
    parent: { threadId: parent.threadId, index, fanOutId: id },
    phase: kind === "map" ? "begin" : "enter",
    stateName: spec.startAt,
    stateInput: spec.input,
    enteredEventId: 0,
    enteredTime: ctx.timestamp,
    lastEventId: parent.lastEventId,
    retryCounts: [],
    variables: parent.variables,
    ...(spec.mapItem ? { mapItem: spec.mapItem } : {}),
    ...(spec.hidden ? { hidden: true } : {}),
    ...(spec.childRun ? { childRun: spec.childRun } : {}),
  }));
  const first = limits.maxConcurrency > 0 ? Math.min(limits.maxConcurrency, specs.length) : specs.length;
  const start = Array.from({ length: first }, (_, i) => i);
  ctx.update({
    phase: "awaitChildren",
    fanOut: { id, kind, total: specs.length, nextIndex: first, running: first, succeeded: 0, failed: 0, ...limits },
  });
  ctx.effect({ type: "fanOut", children, start });
}

/**
 * A child ended. Children that finish after their parent gave up are ignored, and so are children of
 * an earlier fan-out: a Catch can lead back to the same state, whose new children reuse the thread ids.
 */
export function childFinished(ctx: StepContext, outcome: ThreadOutcome, fanOutId: string): Pending {
  const fan = ctx.position.fanOut;
  if (ctx.position.phase !== "awaitChildren" || !fan) return;
  if (fanOutId !== fan.id) return;
  const next: FanOut = { ...fan, running: fan.running - 1 };
  if (outcome.status === "SUCCEEDED") {
    next.succeeded += 1;
  } else {
    next.failed += 1;
    next.firstFailure ??= { error: outcome.error, cause: outcome.cause };
    if (toleranceExceeded(next)) return failFanOut(ctx, next);
  }
  carryOn(ctx, next);
}

/**
 * UpdateMapRun: new limits for a fan-out under way. A higher MaxConcurrency starts waiting children at
 * once; a tolerance the failures so far exceed fails the Map as the next failure would have.
 */
export function updateLimits(ctx: StepContext, limits: MapRunLimits): Pending {
  const fan = ctx.position.fanOut;
  if (ctx.position.phase !== "awaitChildren" || !fan || fan.kind !== "map") return;
  const next: FanOut = { ...fan };
  if (limits.maxConcurrency !== undefined) next.maxConcurrency = limits.maxConcurrency;
  if (limits.toleratedFailureCount !== undefined) next.toleratedFailureCount = limits.toleratedFailureCount;
  if (limits.toleratedFailurePercentage !== undefined) next.toleratedFailurePercentage = limits.toleratedFailurePercentage;
  if (next.failed > 0 && toleranceExceeded(next)) return failFanOut(ctx, next);
  carryOn(ctx, next);
}

/** The fan-out gives up on its children: they are cancelled and the state fails (a distributed Map's Map Run first). */
function failFanOut(ctx: StepContext, next: FanOut): Pending {
  ctx.update({ fanOut: next });
  ctx.effect({ type: "cancelChildren" });
  const tolerant = next.toleratedFailureCount !== undefined || next.toleratedFailurePercentage !== undefined;
  const { error, cause } =
    tolerant && next.kind === "map"
      ? { error: StatesErrorName.ExceedToleratedFailureThreshold, cause: "The specified tolerated failure threshold was exceeded" }
      : (next.firstFailure ?? { error: null, cause: null });
  const state = ctx.state as MapState;
  if (next.kind === "map" && isDistributedMap(state)) {
    // AWS writes a failed Map Run's results too, then fails the Map.
    if (exportsResults(state)) return exportFailedRun(ctx, state, { error, cause });
    ctx.emit("MapRunFailed", { mapRunFailedEventDetails: { ...(error !== null ? { error } : {}), ...(cause !== null ? { cause } : {}) } });
  }
  return raise(ctx, error, cause, { failedEvent: next.kind === "map" ? "MapStateFailed" : "ParallelStateFailed" });
}

/** Starts the children MaxConcurrency now allows, and joins once every child has ended. */
function carryOn(ctx: StepContext, next: FanOut): void {
  const start: number[] = [];
  const startable = next.rerun?.length ?? next.total;
  while (next.nextIndex < startable && (next.maxConcurrency === 0 || next.running < next.maxConcurrency)) {
    start.push(next.rerun ? (next.rerun[next.nextIndex] as number) : next.nextIndex);
    next.nextIndex += 1;
    next.running += 1;
  }
  ctx.update({ fanOut: next });
  if (start.length > 0) ctx.effect(startChildrenEffect(ctx, start));
  if (next.succeeded + next.failed === next.total) {
    ctx.update({ phase: "awaitJoin" });
    ctx.effect({ type: "join" });
  }
}

/**
 * A fan-out resumed by a redrive (phase `resume`) starts the children that run again, within
 * MaxConcurrency; with none to run (the state failed after its children succeeded) it joins at once.
 */
export function resumeChildren(ctx: StepContext): void {
  const fan = ctx.position.fanOut as FanOut;
  const rerun = fan.rerun ?? [];
  if (rerun.length === 0) {
    ctx.update({ phase: "awaitJoin" });
    ctx.effect({ type: "join" });
    return;
  }
  const first = fan.maxConcurrency > 0 ? Math.min(fan.maxConcurrency, rerun.length) : rerun.length;
  ctx.update({ phase: "awaitChildren", fanOut: { ...fan, nextIndex: first, running: first } });
  ctx.effect(startChildrenEffect(ctx, rerun.slice(0, first)));
}

function startChildrenEffect(ctx: StepContext, indices: number[]) {
  const state = ctx.state;
  const childExecutions = ctx.env.childExecutions === true && state.Type === "Map" && isDistributedMap(state);
  return { type: "startChildren" as const, indices, ...(childExecutions ? { childExecutions } : {}) };
}

export function toleranceExceeded(fan: FanOut): boolean {
  if (fan.kind === "parallel") return true;
  const count = fan.toleratedFailureCount;
  const percentage = fan.toleratedFailurePercentage;
  if (count === undefined && percentage === undefined) return true;
  if (count !== undefined && fan.failed > count) return true;
  if (percentage !== undefined && (fan.failed * 100) / fan.total > percentage) return true;
  return false;
}

export function childOutput(outcome: ThreadOutcome): Json {
  if (outcome.status === "SUCCEEDED") return outcome.output;
  const result: Record<string, Json> = {};
  if (outcome.error !== null) result.Error = outcome.error;
  if (outcome.cause !== null) result.Cause = outcome.cause;
  return result;
}
