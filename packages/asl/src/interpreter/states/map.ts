import type { MapState } from "../../definition.ts";
import { isDistributedMap, itemProcessorOf } from "../../definition.ts";
import { queryEvaluationError, runtimeError } from "../../errors.ts";
import type { Json } from "../../json.ts";
import { jsonata, readPath, resolveTemplate, selectPath } from "../expressions.ts";
import { guard, leaveState, nextOf } from "../outcomes.ts";
import { resultOutput } from "../state-data.ts";
import type { StepContext } from "../step-context.ts";
import { type ChildSpec, fanOut, resumeChildren } from "./fan-out.ts";

export async function startMap(ctx: StepContext, state: MapState): Promise<void> {
  await guard(ctx, async () => {
    const maxConcurrency = await concurrencyOf(ctx, state);
    const { items, selectorInput } = await itemsOf(ctx, state);
    ctx.emit("MapStateStarted", { mapStateStartedEventDetails: { length: items.length } });
    const tolerance = await toleranceOf(ctx, state);
    const distributed = isDistributedMap(state);
    // A Map Run is named by its fan-out's id, unique as AWS's run ids are: a Retry of the state starts a new run.
    const runId = distributed ? ctx.newId() : undefined;
    if (runId) ctx.emit("MapRunStarted", { mapRunStartedEventDetails: { mapRunArn: mapRunArn(ctx, state, runId) } });
    const scope = [...ctx.position.scope, { state: ctx.position.stateName }];
    const startAt = itemProcessorOf(state).StartAt;
    const specs: ChildSpec[] = [];
    for (const [index, value] of items.entries()) {
      specs.push({
        scope,
        startAt,
        input: await itemInput(ctx, state, selectorInput, index, value),
        mapItem: { index, value },
        hidden: distributed,
      });
    }
    if (specs.length === 0) {
      await joinMap(ctx, state, []);
      return;
    }
    fanOut(ctx, "map", specs, { maxConcurrency, ...tolerance }, runId);
  });
}

export async function joinMap(ctx: StepContext, state: MapState, results: Json[]): Promise<void> {
  if (isDistributedMap(state)) ctx.emit("MapRunSucceeded");
  ctx.emit("MapStateSucceeded");
  await guard(ctx, async () => leaveState(ctx, await resultOutput(ctx, results), nextOf(state)));
}

/** A distributed Map stopped from outside (StopExecution, a timeout, a parent giving up) records that its Map Run was aborted. */
export function abortMapRun(ctx: StepContext): void {
  if (ctx.position.phase === "awaitChildren" && ctx.state.Type === "Map" && isDistributedMap(ctx.state)) ctx.emit("MapRunAborted");
}

/** The Map carries on after a redrive; a distributed one records that its Map Run was redriven. */
export function resumeMap(ctx: StepContext, state: MapState): void {
  if (isDistributedMap(state)) {
    ctx.emit("MapRunRedriven", {
      mapRunRedrivenEventDetails: {
        mapRunArn: mapRunArn(ctx, state, ctx.position.fanOut?.id ?? ""),
        redriveCount: ctx.position.fanOut?.redriveCount ?? 1,
      },
    });
  }
  resumeChildren(ctx);
}

/**
 * An item's input as the Map gave it when it fanned out (`ctx` is at the Map, as then): a child that
 * starts over from its first state (an Express child workflow on redrive) gets it again.
 */
export async function itemInputAgain(ctx: StepContext, state: MapState, item: { index: number; value: Json }): Promise<Json> {
  const input = ctx.position.stateInput;
  const selectorInput = ctx.language === "JSONata" ? input : selectPath(state.InputPath, input, ctx.scope());
  return itemInput(ctx, state, selectorInput, item.index, item.value);
}

async function itemsOf(ctx: StepContext, state: MapState): Promise<{ items: Json[]; selectorInput: Json }> {
  const scope = ctx.scope();
  const input = ctx.position.stateInput;
  if (ctx.language === "JSONata") {
    const items =
      state.Items === undefined ? input : await jsonata(state.Items, { input, context: scope.context }, scope, ctx.now, "Items");
    if (!Array.isArray(items)) throw queryEvaluationError(`Map state input must be an array but was: ${JSON.stringify(items)}`);
    return { items, selectorInput: input };
  }
  const effective = selectPath(state.InputPath, input, scope);
  const items = state.ItemsPath === undefined ? effective : readPath(state.ItemsPath, effective, scope);
  if (!Array.isArray(items)) throw runtimeError(`Map state input must be an array but was: ${JSON.stringify(items)}`);
  return { items, selectorInput: effective };
}

async function itemInput(ctx: StepContext, state: MapState, selectorInput: Json, index: number, value: Json): Promise<Json> {
  const selector = state.ItemSelector ?? state.Parameters;
  if (selector === undefined) return value;
  const scope = ctx.scope({ mapItem: { index, value } });
  if (ctx.language === "JSONata") {
    return jsonata(selector, { input: selectorInput, context: scope.context }, scope, ctx.now, "ItemSelector");
  }
  return resolveTemplate(selector, selectorInput, scope);
}

function shown(value: Json): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

async function fieldValue(
  ctx: StepContext,
  literal: number | string | undefined,
  path: string | undefined,
  field: string,
): Promise<Json | undefined> {
  const scope = ctx.scope();
  const input = ctx.position.stateInput;
  if (typeof literal === "string") return jsonata(literal, { input, context: scope.context }, scope, ctx.now, field);
  if (literal !== undefined) return literal;
  if (path === undefined) return undefined;
  return readPath(path, selectPath((ctx.state as MapState).InputPath, input, scope), scope);
}

async function concurrencyOf(ctx: StepContext, state: MapState): Promise<number> {
  const value = await fieldValue(ctx, state.MaxConcurrency, state.MaxConcurrencyPath, "MaxConcurrency");
  if (value === undefined) return 0;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    const source = state.MaxConcurrencyPath
      ? `The MaxConcurrencyPath field refers to value "${shown(value)}" which is not a valid integer: ${state.MaxConcurrencyPath}`
      : `MaxConcurrency must be a non-negative integer, but was: ${shown(value)}`;
    throw runtimeError(source);
  }
  return value;
}

async function toleranceOf(
  ctx: StepContext,
  state: MapState,
): Promise<{ toleratedFailureCount?: number; toleratedFailurePercentage?: number }> {
  const tolerance: { toleratedFailureCount?: number; toleratedFailurePercentage?: number } = {};
  const count = await fieldValue(ctx, state.ToleratedFailureCount, state.ToleratedFailureCountPath, "ToleratedFailureCount");
  if (count !== undefined) {
    if (typeof count !== "number" || !Number.isInteger(count)) {
      throw runtimeError(
        `The ToleratedFailureCountPath field refers to value "${shown(count)}" which is not a valid integer: ${state.ToleratedFailureCountPath ?? "ToleratedFailureCount"}`,
      );
    }
    if (count < 0) throw runtimeError("ToleratedFailureCount cannot be negative.");
    tolerance.toleratedFailureCount = count;
  }
  const percentage = await fieldValue(
    ctx,
    state.ToleratedFailurePercentage,
    state.ToleratedFailurePercentagePath,
    "ToleratedFailurePercentage",
  );
  if (percentage !== undefined) {
    if (typeof percentage !== "number") {
      throw runtimeError(
        `The ToleratedFailurePercentagePath field refers to value "${shown(percentage)}" which is not a valid float: ${state.ToleratedFailurePercentagePath ?? "ToleratedFailurePercentage"}`,
      );
    }
    if (percentage < 0 || percentage > 100) throw runtimeError("ToleratedFailurePercentage must be between 0 and 100.");
    tolerance.toleratedFailurePercentage = percentage;
  }
  return tolerance;
}

/** `…:mapRun:<machine>:<execution>/<Label or state name>:<the run's fan-out id>`. */
function mapRunArn(ctx: StepContext, state: MapState, runId: string): string {
  const execution = ctx.execution.executionArn.replace(":execution:", ":mapRun:");
  return `${execution}/${state.Label ?? ctx.position.stateName}:${runId}`;
}
