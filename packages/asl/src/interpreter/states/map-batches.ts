/**
 * ItemBatcher: a distributed Map groups its items (after ItemSelector) into batches, and each batch is
 * one child's input, `{"BatchInput": …, "Items": [...]}`, as AWS builds it.
 */
import type { MapState } from "../../definition.ts";
import { StatesError, StatesErrorName } from "../../errors.ts";
import type { Json, JsonObject } from "../../json.ts";
import { DEFAULT_MAX_PAYLOAD_BYTES } from "../state-data.ts";
import type { StepContext } from "../step-context.ts";
import { evaluateTemplate, mapFieldValue, shown } from "./map-fields.ts";

export interface BatchLimits {
  /** Absent: no limit but the bytes. */
  maxItems?: number;
  maxBytes: number;
  batchInput?: Json;
}

/** The ItemBatcher's limits and BatchInput, evaluated against the Map's input. */
export async function batchLimitsOf(ctx: StepContext, state: MapState, batcher: JsonObject): Promise<BatchLimits> {
  const payloadLimit = ctx.env.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  const maxItems = await positiveLimit(ctx, state, batcher, "MaxItemsPerBatch");
  const maxBytes = await positiveLimit(ctx, state, batcher, "MaxInputBytesPerBatch");
  const limits: BatchLimits = { maxBytes: Math.min(maxBytes ?? payloadLimit, payloadLimit) };
  if (maxItems !== undefined) limits.maxItems = maxItems;
  if (batcher.BatchInput !== undefined) limits.batchInput = await batchInputOf(ctx, state, batcher.BatchInput);
  return limits;
}

async function positiveLimit(ctx: StepContext, state: MapState, batcher: JsonObject, field: string): Promise<number | undefined> {
  const path = batcher[`${field}Path`];
  const value = await mapFieldValue(
    ctx,
    state,
    batcher[field] as number | string | undefined,
    typeof path === "string" ? path : undefined,
    `ItemBatcher.${field}`,
  );
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new StatesError(
      StatesErrorName.Runtime,
      typeof path === "string"
        ? `The ${field}Path field refers to value "${shown(value)}" which is not a valid positive integer: ${path}`
        : `${field} must be a positive integer, but was: ${shown(value)}`,
    );
  }
  return value;
}

function batchInputOf(ctx: StepContext, state: MapState, template: Json): Promise<Json> {
  return evaluateTemplate(ctx, state, template, "ItemBatcher.BatchInput");
}

/**
 * Groups items in order. A batch closes when it holds MaxItemsPerBatch items, or when the next item would
 * take the batch's JSON text (`{"BatchInput":…,"Items":[…]}`, UTF-8) over MaxInputBytesPerBatch. An item
 * that cannot fit even alone fails the Map: no child could be given it.
 */
export function batchItems(items: Json[], limits: BatchLimits): Json[] {
  const base = limits.batchInput === undefined ? { Items: [] } : { BatchInput: limits.batchInput, Items: [] };
  const emptyBytes = utf8Bytes(JSON.stringify(base));
  const batches: Json[] = [];
  let current: Json[] = [];
  let bytes = emptyBytes;
  const close = () => {
    batches.push(limits.batchInput === undefined ? { Items: current } : { BatchInput: limits.batchInput, Items: current });
    current = [];
    bytes = emptyBytes;
  };
  for (const [index, item] of items.entries()) {
    const itemBytes = utf8Bytes(JSON.stringify(item));
    if (emptyBytes + itemBytes > limits.maxBytes) {
      throw new StatesError(
        StatesErrorName.ItemReaderFailed,
        `The item at index ${index} takes ${itemBytes} bytes: with the batch around it, more than the ${limits.maxBytes} bytes a batch may hold.`,
      );
    }
    // A comma before every item but the first.
    const added = itemBytes + (current.length > 0 ? 1 : 0);
    if (current.length > 0 && bytes + added > limits.maxBytes) close();
    bytes += current.length > 0 ? itemBytes + 1 : itemBytes;
    current.push(item);
    if (limits.maxItems !== undefined && current.length >= limits.maxItems) close();
  }
  if (current.length > 0) close();
  return batches;
}

function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}
