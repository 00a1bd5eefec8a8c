/**
 * The built-in tasks of a distributed Map: its ItemReader reads the items and its ResultWriter exports
 * the children's entries, through the `DatasetStore` the process was given (`@stepwise/object-storage`
 * for any S3-compatible store). They run as task jobs, after the transition that asked for them has
 * committed: object-store I/O never holds an execution's row lock, a crashed worker's job runs again,
 * and the engine takes the first outcome of the attempt.
 */
import {
  asDatasetFailure,
  type DatasetStore,
  type ItemReaderRequest,
  type Json,
  type MapRunIdentity,
  type ResultWriterEntry,
  type ResultWriterRequest,
  resultWriterEntry,
  StatesErrorName,
  type ThreadPosition,
  textFitsBytes,
} from "@stepwise/asl";
import { listThreads } from "@stepwise/storage";
import { mapRunChildren } from "../engine/effects.ts";
import { ITEM_READER_HANDLER, RESULT_WRITER_HANDLER } from "../resource-map.ts";
import type { Runtime } from "../runtime.ts";
import { TaskFailure, type TaskHandler } from "./task-handler.ts";

/** What to set when no store is configured, named in the failure so the operator knows what to do. */
export const NO_DATASET_STORE =
  "No object store is configured for ItemReader and ResultWriter: set AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL), AWS_REGION, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for the worker.";

/** What a ResultWriter's job carries: the request, the run, and the Map's thread whose children it exports. */
export interface WriteResultsPayload {
  request: ResultWriterRequest;
  run: MapRunIdentity;
  mapThreadId: string;
}

export function datasetHandlers(runtime: Runtime): Record<string, TaskHandler> {
  return {
    [ITEM_READER_HANDLER]: (input, ctx) => readItems(runtime, input as unknown as ItemReaderRequest, ctx.signal),
    [RESULT_WRITER_HANDLER]: async (input, ctx) => {
      const { request, run, mapThreadId } = input as unknown as WriteResultsPayload;
      const store = storeOf(runtime, StatesErrorName.ResultWriterFailed);
      const entries = await childEntries(runtime, ctx.executionArn, mapThreadId, run);
      try {
        return { ...(await store.writeResults(request, iterate(entries))) };
      } catch (e) {
        throw storeFailure(e, StatesErrorName.ResultWriterFailed);
      }
    },
  };
}

async function readItems(runtime: Runtime, request: ItemReaderRequest, signal: AbortSignal): Promise<Json[]> {
  const store = storeOf(runtime, StatesErrorName.ItemReaderFailed);
  const limit = runtime.config.STEPWISE_MAX_PAYLOAD_BYTES;
  const max = request.readerConfig.MaxItems;
  const items: Json[] = [];
  try {
    for await (const item of store.readItems(request, signal)) {
      const text = JSON.stringify(item);
      // One item is one child's input at least: over the payload limit, no child could take it.
      if (!textFitsBytes(text, limit)) {
        throw new TaskFailure(
          StatesErrorName.ItemReaderFailed,
          `The item at index ${items.length} of ${describe(request)} takes ${Buffer.byteLength(text, "utf8")} bytes, more than the ${limit} bytes an item may hold.`,
        );
      }
      items.push(item);
      if (max !== undefined && items.length >= max) break;
    }
  } catch (e) {
    throw storeFailure(e, StatesErrorName.ItemReaderFailed);
  }
  return items;
}

function storeOf(runtime: Runtime, error: string): DatasetStore {
  if (!runtime.datasets) throw new TaskFailure(error, NO_DATASET_STORE);
  return runtime.datasets;
}

function describe(request: ItemReaderRequest): string {
  const { Bucket, Key, Prefix } = request.parameters;
  return `s3://${String(Bucket ?? "")}/${String(Key ?? Prefix ?? "")}`;
}

function storeFailure(e: unknown, fallback: "States.ItemReaderFailed" | "States.ResultWriterFailed"): TaskFailure {
  if (e instanceof TaskFailure) return e;
  const { error, cause } = asDatasetFailure(e, fallback);
  return new TaskFailure(error, cause);
}

async function childEntries(
  runtime: Runtime,
  executionArn: string,
  mapThreadId: string,
  run: MapRunIdentity,
): Promise<ResultWriterEntry[]> {
  const rows = await listThreads(runtime.db, executionArn);
  const threads = rows.map((r) => r.position as unknown as ThreadPosition);
  return mapRunChildren(threads, mapThreadId, run).map(({ index, child }) => resultWriterEntry(run, index, child));
}

async function* iterate<T>(values: readonly T[]): AsyncIterable<T> {
  yield* values;
}
