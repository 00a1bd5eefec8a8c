/**
 * What a distributed Map asks of its datasets (see map-datasets.ts): the ItemReader's request and the
 * ResultWriter's, evaluated from the state's fields, and the entries AWS writes for its child workflow
 * executions. The reading and writing themselves happen outside the core.
 */
import type { MapState } from "../../definition.ts";
import { itemProcessorOf } from "../../definition.ts";
import { StatesError, StatesErrorName } from "../../errors.ts";
import { isJsonObject, type Json, type JsonObject } from "../../json.ts";
import type {
  ChildExecutionStatus,
  DatasetFailure,
  ItemReaderRequest,
  ReaderConfig,
  ResultTransformation,
  ResultWriterEntry,
  ResultWriterRequest,
  WriterConfig,
} from "../../map-datasets.ts";
import type { ThreadPosition } from "../position.ts";
import type { StepContext } from "../step-context.ts";
import { uuidFromKey } from "../uuid.ts";
import { evaluateTemplate, mapFieldValue, shown } from "./map-fields.ts";

/** AWS's largest `MaxItems`. */
const MAX_ITEMS_LIMIT = 100_000_000;

/** Who a Map Run's children are, to name them as AWS names child workflow executions. */
export interface MapRunIdentity {
  mapRunArn: string;
  /** The run's fan-out id, which ends its ARN. */
  runId: string;
  /** `arn:aws:states:<region>:<account>:execution:<machine>/<label>:` (`:express:` for EXPRESS children). */
  childExecutionPrefix: string;
  /** `arn:aws:states:<region>:<account>:stateMachine:<machine>/<label>`. */
  childStateMachineArn: string;
}

/** `…:mapRun:<machine>:<execution>/<Label or state name>:<the run's fan-out id>`. */
export function mapRunArn(ctx: StepContext, state: MapState, runId: string, stateName = ctx.position.stateName): string {
  const execution = ctx.execution.executionArn.replace(":execution:", ":mapRun:");
  return `${execution}/${state.Label ?? stateName}:${runId}`;
}

/** `stateName`: the Map's (the step may be one of its children's). */
export function mapRunIdentity(ctx: StepContext, state: MapState, runId: string, stateName = ctx.position.stateName): MapRunIdentity {
  const { executionArn, executionName } = ctx.execution;
  const label = state.Label ?? stateName;
  const machine = executionArn.endsWith(`:${executionName}`) ? executionArn.slice(0, -executionName.length - 1) : executionArn;
  const executions = machine.replace(/:(execution|express):/, ":execution:");
  const express = itemProcessorOf(state).ProcessorConfig?.ExecutionType === "EXPRESS";
  return {
    mapRunArn: mapRunArn(ctx, state, runId, stateName),
    runId,
    childExecutionPrefix: `${express ? executions.replace(":execution:", ":express:") : executions}/${label}:`,
    childStateMachineArn: `${executions.replace(":execution:", ":stateMachine:")}/${label}`,
  };
}

/** The ItemReader's fields, evaluated against the Map's input. */
export async function readerRequestOf(ctx: StepContext, state: MapState): Promise<ItemReaderRequest> {
  const reader = state.ItemReader as JsonObject;
  const config = isJsonObject(reader.ReaderConfig) ? reader.ReaderConfig : {};
  const readerConfig: ReaderConfig = {};
  for (const field of ["InputType", "CSVHeaderLocation", "CSVDelimiter"] as const) {
    if (typeof config[field] === "string") Object.assign(readerConfig, { [field]: config[field] });
  }
  if (Array.isArray(config.CSVHeaders)) readerConfig.CSVHeaders = config.CSVHeaders.map(String);
  const maxItems = await maxItemsOf(ctx, state, config);
  if (maxItems !== undefined) readerConfig.MaxItems = maxItems;
  return {
    resource: String(reader.Resource),
    parameters: await parametersOf(ctx, state, reader, "ItemReader"),
    readerConfig,
  };
}

async function maxItemsOf(ctx: StepContext, state: MapState, config: JsonObject): Promise<number | undefined> {
  const path = typeof config.MaxItemsPath === "string" ? config.MaxItemsPath : undefined;
  const value = await mapFieldValue(ctx, state, config.MaxItems as number | string | undefined, path, "ItemReader.ReaderConfig.MaxItems");
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > MAX_ITEMS_LIMIT) {
    throw new StatesError(
      StatesErrorName.Runtime,
      path
        ? `The MaxItemsPath field refers to value "${shown(value)}" which is not a valid integer between 0 and ${MAX_ITEMS_LIMIT}: ${path}`
        : `MaxItems must be an integer between 0 and ${MAX_ITEMS_LIMIT}, but was: ${shown(value)}`,
    );
  }
  // 0 means no limit, as with AWS.
  return value === 0 ? undefined : value;
}

async function parametersOf(ctx: StepContext, state: MapState, holder: JsonObject, field: string): Promise<JsonObject> {
  const name = ctx.language === "JSONata" ? "Arguments" : "Parameters";
  const template = holder[name];
  if (template === undefined) return {};
  const value = await evaluateTemplate(ctx, state, template, `${field}.${name}`);
  if (!isJsonObject(value))
    throw new StatesError(StatesErrorName.Runtime, `${field}.${name} must evaluate to an object, but was: ${shown(value)}`);
  return value;
}

/** The items the reader returned, as the Map uses them: an array, cut to MaxItems. */
export function itemsFromReader(items: Json, request: { readerConfig: ReaderConfig } | undefined): Json[] {
  if (!Array.isArray(items)) {
    throw new StatesError(StatesErrorName.ItemReaderFailed, `The item reader returned ${typeof items} instead of a list of items.`);
  }
  const max = request?.readerConfig.MaxItems;
  return max !== undefined && items.length > max ? items.slice(0, max) : items;
}

/** The ResultWriter's request when it exports to a store (it has a Resource); undefined otherwise. */
export async function writerRequestOf(ctx: StepContext, state: MapState, run: MapRunIdentity): Promise<ResultWriterRequest | undefined> {
  const writer = state.ResultWriter;
  if (!writer || typeof writer.Resource !== "string") return undefined;
  return {
    resource: writer.Resource,
    parameters: await parametersOf(ctx, state, writer, "ResultWriter"),
    writerConfig: writerConfigOf(state),
    mapRunArn: run.mapRunArn,
  };
}

export function writerConfigOf(state: MapState): WriterConfig {
  const config = state.ResultWriter?.WriterConfig;
  if (!isJsonObject(config)) return {};
  const out: WriterConfig = {};
  if (config.OutputType === "JSON" || config.OutputType === "JSONL") out.OutputType = config.OutputType;
  if (config.Transformation === "NONE" || config.Transformation === "COMPACT" || config.Transformation === "FLATTEN")
    out.Transformation = config.Transformation;
  return out;
}

/**
 * The Map's result when a WriterConfig shapes it without exporting it: COMPACT is the children's outputs
 * (as without a ResultWriter), FLATTEN spreads the arrays among them one level, NONE is each child's entry
 * with its metadata. A failed child is kept as its entry under FLATTEN, as AWS does.
 */
export function transformedResults(transformation: ResultTransformation, results: Json[], entries: ResultWriterEntry[]): Json[] {
  if (transformation === "COMPACT") return results;
  if (transformation === "NONE") return entries.map(entryJson);
  const out: Json[] = [];
  for (const [index, result] of results.entries()) {
    const entry = entries[index];
    if (entry && entry.Status !== "SUCCEEDED") out.push(entryJson(entry));
    else if (Array.isArray(result)) out.push(...result);
    else out.push(result);
  }
  return out;
}

/** An entry as written (the `index` is ours, for ordering). */
export function entryJson(entry: ResultWriterEntry): JsonObject {
  const { index: _index, ...rest } = entry;
  return rest as unknown as JsonObject;
}

/** AWS's entry for one child workflow execution, from where the child stands. */
/** A Map Run's child workflow execution's name (a UUID, as AWS's), the same each time it is asked for. */
export function childExecutionName(runId: string, index: number): string {
  return uuidFromKey(`${runId}#${index}`);
}

export function resultWriterEntry(run: MapRunIdentity, index: number, child: ThreadPosition): ResultWriterEntry {
  const name = childExecutionName(run.runId, index);
  // A child the Map Run gave up on before it began (aborted with its run) never ran: AWS lists it as pending.
  const neverRan = child.childRun !== undefined && child.childRun.startDate === undefined && child.outcome?.status !== "SUCCEEDED";
  const outcome = neverRan ? undefined : child.outcome;
  const status: ChildExecutionStatus = outcome ? outcome.status : neverRan || child.phase === "begin" ? "PENDING_REDRIVE" : "RUNNING";
  const entry: ResultWriterEntry = {
    ExecutionArn: `${run.childExecutionPrefix}${name}`,
    Name: name,
    StateMachineArn: run.childStateMachineArn,
    Status: status,
    StartDate: child.childRun?.startDate ?? child.enteredTime,
    Input: JSON.stringify(child.childRun?.input ?? child.stateInput),
    InputDetails: { Included: true },
    RedriveCount: child.childRun?.redriveCount ?? 0,
    RedriveStatus: status === "SUCCEEDED" || status === "RUNNING" ? "NOT_REDRIVABLE" : "REDRIVABLE",
    index,
  };
  if (child.childRun?.stopDate) entry.StopDate = child.childRun.stopDate;
  if (outcome?.status === "SUCCEEDED") {
    entry.Output = JSON.stringify(outcome.output);
    entry.OutputDetails = { Included: true };
  } else if (outcome) {
    if (outcome.error !== null) entry.Error = outcome.error;
    if (outcome.cause !== null) entry.Cause = outcome.cause;
  }
  return entry;
}

/**
 * A dataset store's failure as AWS's error and cause: stores throw `{error, cause}` values (see
 * map-datasets.ts); anything else thrown is a failure of the kind `fallback` names.
 */
export function asDatasetFailure(thrown: unknown, fallback: DatasetFailure["error"]): { error: string; cause: string } {
  if (typeof thrown === "object" && thrown !== null && "error" in thrown && typeof thrown.error === "string") {
    const cause = "cause" in thrown && typeof thrown.cause === "string" ? thrown.cause : "";
    return { error: thrown.error, cause };
  }
  return { error: fallback, cause: thrown instanceof Error ? thrown.message : String(thrown) };
}
