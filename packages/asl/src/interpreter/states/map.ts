import type { MapState } from "../../definition.ts";
import { isDistributedMap, itemProcessorOf } from "../../definition.ts";
import { queryEvaluationError, runtimeError, StatesError } from "../../errors.ts";
import type { Json } from "../../json.ts";
import type { ResultWriterEntry, ResultWriterRequest } from "../../map-datasets.ts";
import { jsonata, readPath, resolveTemplate, selectPath } from "../expressions.ts";
import { guard, leaveState, nextOf, raise } from "../outcomes.ts";
import type { FanOut, PendingTask } from "../position.ts";
import { resultOutput } from "../state-data.ts";
import type { StepContext } from "../step-context.ts";
import { type ChildSpec, fanOut, resumeChildren } from "./fan-out.ts";
import { batchItems, batchLimitsOf } from "./map-batches.ts";
import {
  itemsFromReader,
  type MapRunIdentity,
  mapRunArn,
  mapRunIdentity,
  readerRequestOf,
  transformedResults,
  writerConfigOf,
  writerRequestOf,
} from "./map-dataset.ts";
import { mapEffectiveInput, mapFieldValue, shown } from "./map-fields.ts";

export async function startMap(ctx: StepContext, state: MapState): Promise<void> {
  await guard(ctx, async () => {
    if (state.ItemReader && isDistributedMap(state)) {
      await startReading(ctx, state);
      return;
    }
    const maxConcurrency = await concurrencyOf(ctx, state);
    const { items, selectorInput } = await itemsOf(ctx, state);
    ctx.emit("MapStateStarted", { mapStateStartedEventDetails: { length: items.length } });
    const limits = { maxConcurrency, ...(await toleranceOf(ctx, state)) };
    // A Map Run is named by its fan-out's id, unique as AWS's run ids are: a Retry of the state starts a new run.
    const runId = isDistributedMap(state) ? ctx.newId() : undefined;
    if (runId) ctx.emit("MapRunStarted", { mapRunStartedEventDetails: { mapRunArn: mapRunArn(ctx, state, runId) } });
    await fanOutItems(ctx, state, items, selectorInput, runId, limits);
  });
}

/**
 * A Map with an ItemReader starts its Map Run before it has items (AWS records MapStateStarted with
 * length 0), asks for them, and waits. The read is named by the run's id.
 */
async function startReading(ctx: StepContext, state: MapState): Promise<void> {
  const request = await readerRequestOf(ctx, state);
  ctx.emit("MapStateStarted", { mapStateStartedEventDetails: { length: 0 } });
  const runId = ctx.newId();
  ctx.emit("MapRunStarted", { mapRunStartedEventDetails: { mapRunArn: mapRunArn(ctx, state, runId) } });
  ctx.update({ phase: "awaitItems", task: datasetTask(runId, request.resource, "itemReader") });
  ctx.effect({ type: "readItems", taskId: runId, request });
}

function datasetTask(id: string, resource: string, resourceName: string): PendingTask {
  return { id, resource, resourceType: "states", resourceName, started: false };
}

/** The ItemReader's items arrived: the Map Run fans them out. */
export async function itemsRead(ctx: StepContext, state: MapState, output: Json): Promise<void> {
  const runId = ctx.position.task?.id as string;
  ctx.update({ task: undefined });
  try {
    const items = itemsFromReader(output, { readerConfig: (await readerRequestOf(ctx, state)).readerConfig });
    const limits = { maxConcurrency: await concurrencyOf(ctx, state), ...(await toleranceOf(ctx, state)) };
    await fanOutItems(ctx, state, items, mapEffectiveInput(ctx, state), runId, limits);
  } catch (e) {
    if (!(e instanceof StatesError)) throw e;
    await mapRunFailed(ctx, e.error, e.causeText);
  }
}

/** The Map Run failed before or after its children (reading, batching, writing): the Map fails with it. */
export async function mapRunFailed(ctx: StepContext, error: string | null, cause: string | null): Promise<void> {
  ctx.update({ task: undefined });
  ctx.emit("MapRunFailed", { mapRunFailedEventDetails: { ...(error !== null ? { error } : {}), ...(cause !== null ? { cause } : {}) } });
  await raise(ctx, error, cause, { failedEvent: "MapStateFailed" });
}

type FanOutLimits = Parameters<typeof fanOut>[3];

async function fanOutItems(
  ctx: StepContext,
  state: MapState,
  items: Json[],
  selectorInput: Json,
  runId: string | undefined,
  limits: FanOutLimits,
): Promise<void> {
  const distributed = runId !== undefined;
  const scope = [...ctx.position.scope, { state: ctx.position.stateName }];
  const startAt = itemProcessorOf(state).StartAt;
  const selected: Json[] = [];
  for (const [index, value] of items.entries()) selected.push(await itemInput(ctx, state, selectorInput, index, value));
  const inputs = distributed && state.ItemBatcher ? batchItems(selected, await batchLimitsOf(ctx, state, state.ItemBatcher)) : selected;
  const keepsChildRuns = distributed && (state.ResultWriter !== undefined || state.ItemBatcher !== undefined);
  const specs: ChildSpec[] = inputs.map((input, index) => ({
    scope,
    startAt,
    input,
    // A batch is its child's item: the child has no single item of the dataset.
    mapItem: { index, value: inputs === selected ? (items[index] as Json) : input },
    ...(distributed ? { hidden: true } : {}),
    // Kept only where needed (it doubles the child's stored input): for ResultWriter's entries, and for
    // batches, which cannot be rebuilt from an item when a child starts over.
    ...(keepsChildRuns ? { childRun: { input } } : {}),
  }));
  if (specs.length === 0) {
    const fan = { id: runId ?? "", kind: "map" as const, total: 0, nextIndex: 0, running: 0, succeeded: 0, failed: 0, ...limits };
    ctx.update({ phase: "awaitJoin", fanOut: fan });
    await joinMap(ctx, state, [], []);
    return;
  }
  fanOut(ctx, "map", specs, limits, runId);
}

/** Every child ended: a Map with a ResultWriter that exports asks for the write, and waits; others succeed now. */
export async function joinMap(ctx: StepContext, state: MapState, results: Json[], entries?: ResultWriterEntry[]): Promise<void> {
  if (isDistributedMap(state) && state.ResultWriter) {
    const runId = ctx.position.fanOut?.id ?? "";
    const run = mapRunIdentity(ctx, state, runId);
    const writer = await evaluateWriter(ctx, state, run);
    if (!writer) return;
    const { request } = writer;
    if (request) return requestWrite(ctx, request, run);
    const transformation = writerConfigOf(state).Transformation ?? "COMPACT";
    if (transformation !== "COMPACT" && entries === undefined) {
      // The children's entries come from where they are stored: ask for them with the results.
      ctx.effect({ type: "join", entries: run });
      return;
    }
    return succeedMap(ctx, state, transformedResults(transformation, results, entries ?? []));
  }
  return succeedMap(ctx, state, results);
}

/**
 * The write a ResultWriter asks for (`request` undefined when it only shapes the output). Its fields
 * failing to evaluate fail the Map Run: then this answers undefined, with the failure recorded.
 */
async function evaluateWriter(
  ctx: StepContext,
  state: MapState,
  run: MapRunIdentity,
): Promise<{ request: ResultWriterRequest | undefined } | undefined> {
  try {
    return { request: await writerRequestOf(ctx, state, run) };
  } catch (e) {
    if (!(e instanceof StatesError)) throw e;
    await mapRunFailed(ctx, e.error, e.causeText);
    return undefined;
  }
}

function requestWrite(ctx: StepContext, request: ResultWriterRequest, run: MapRunIdentity): void {
  const taskId = ctx.newId();
  ctx.update({ phase: "awaitWrite", task: datasetTask(taskId, request.resource, "resultWriter") });
  ctx.effect({ type: "writeResults", taskId, request, run });
}

/** A ResultWriter with a Resource writes the Map Run's results to a store (without one it only shapes the output). */
export function exportsResults(state: MapState): boolean {
  return typeof state.ResultWriter?.Resource === "string";
}

/**
 * The Map Run failed (its children past the tolerated failures): as AWS does, its results are exported
 * first (the children that did not succeed in FAILED or PENDING files), and the Map fails once they are.
 */
export async function exportFailedRun(
  ctx: StepContext,
  state: MapState,
  failure: { error: string | null; cause: string | null },
): Promise<void> {
  const fan = ctx.position.fanOut as FanOut;
  const run = mapRunIdentity(ctx, state, fan.id);
  const writer = await evaluateWriter(ctx, state, run);
  if (!writer) return;
  const { request } = writer;
  if (!request) return mapRunFailed(ctx, failure.error, failure.cause);
  ctx.update({ fanOut: { ...fan, failure } });
  requestWrite(ctx, request, run);
}

/** The ResultWriter exported the results: the Map's result is where they are, or the Map Run's failure. */
export async function resultsWritten(ctx: StepContext, state: MapState, details: Json): Promise<void> {
  ctx.update({ task: undefined });
  const failure = ctx.position.fanOut?.failure;
  if (failure) return mapRunFailed(ctx, failure.error, failure.cause);
  return succeedMap(ctx, state, { ResultWriterDetails: details });
}

async function succeedMap(ctx: StepContext, state: MapState, result: Json): Promise<void> {
  if (isDistributedMap(state)) ctx.emit("MapRunSucceeded");
  ctx.emit("MapStateSucceeded");
  await guard(ctx, async () => leaveState(ctx, await resultOutput(ctx, result), nextOf(state)));
}

/** A distributed Map stopped from outside (StopExecution, a timeout, a parent giving up) records that its Map Run was aborted. */
export function abortMapRun(ctx: StepContext): void {
  const { phase } = ctx.position;
  const running = phase === "awaitChildren" || phase === "awaitItems" || phase === "awaitWrite";
  if (running && ctx.state.Type === "Map" && isDistributedMap(ctx.state)) ctx.emit("MapRunAborted");
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

async function concurrencyOf(ctx: StepContext, state: MapState): Promise<number> {
  const value = await mapFieldValue(ctx, state, state.MaxConcurrency, state.MaxConcurrencyPath, "MaxConcurrency");
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
  const count = await mapFieldValue(ctx, state, state.ToleratedFailureCount, state.ToleratedFailureCountPath, "ToleratedFailureCount");
  if (count !== undefined) {
    if (typeof count !== "number" || !Number.isInteger(count)) {
      throw runtimeError(
        `The ToleratedFailureCountPath field refers to value "${shown(count)}" which is not a valid integer: ${state.ToleratedFailureCountPath ?? "ToleratedFailureCount"}`,
      );
    }
    if (count < 0) throw runtimeError("ToleratedFailureCount cannot be negative.");
    tolerance.toleratedFailureCount = count;
  }
  const percentage = await mapFieldValue(
    ctx,
    state,
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
