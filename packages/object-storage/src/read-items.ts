/**
 * `readItems`: the items an ItemReader asks for, streamed in order from the store, at most `MaxItems`,
 * each within the payload limit. Every failure is a `States.ItemReaderFailed` whose cause names the
 * object and the problem.
 */
import { type DatasetFailure, DEFAULT_MAX_PAYLOAD_BYTES, type ItemReaderRequest, type Json, payloadSize } from "@stepwise/asl";
import { csvDelimiters, csvItems } from "./csv-items.ts";
import { describeS3Error, isDatasetFailure, itemReaderFailed, s3Url } from "./failures.ts";
import { DatasetFormatError, OversizedItem } from "./format-error.ts";
import { jsonArrayItems, jsonLinesItems } from "./json-items.ts";
import { listObjectsItems } from "./list-objects-items.ts";
import { manifestItems } from "./manifest-items.ts";
import { describeRef, type ObjectRef, openObject, type S3Context } from "./s3-objects.ts";
import { utf8Chunks } from "./text-stream.ts";

export const GET_OBJECT = "arn:aws:states:::s3:getObject";
export const LIST_OBJECTS_V2 = "arn:aws:states:::s3:listObjectsV2";

/** AWS's ceiling for MaxItems. */
const MAX_ITEMS_LIMIT = 100_000_000;

export interface ReadLimits {
  /** Largest item, as UTF-8 JSON text (AWS: the 256 KiB payload limit). */
  maxItemBytes: number;
  /** Keys per ListObjectsV2 page; unset: the store's default (S3: 1,000). */
  listPageSize?: number;
}

export const defaultReadLimits: ReadLimits = { maxItemBytes: DEFAULT_MAX_PAYLOAD_BYTES };

export async function* readItems(
  s3: S3Context,
  request: ItemReaderRequest,
  limits: ReadLimits,
  signal?: AbortSignal,
): AsyncGenerator<Json> {
  const maxItems = request.readerConfig.MaxItems ?? MAX_ITEMS_LIMIT;
  if (!Number.isInteger(maxItems) || maxItems < 0 || maxItems > MAX_ITEMS_LIMIT) {
    throw itemReaderFailed(`The ItemReader's MaxItems must be an integer from 0 to ${MAX_ITEMS_LIMIT}, got ${maxItems}`);
  }
  if (maxItems === 0) return;
  const { source, items } = openSource(s3, request, limits, signal);
  let index = 0;
  try {
    for await (const item of items) {
      // The SDK stops watching the signal once the response has begun: the body is read on regardless.
      signal?.throwIfAborted();
      if (!certainlyFits(item, limits.maxItemBytes)) {
        const size = payloadSize(item);
        if (size > limits.maxItemBytes) throw oversized(source, index, `${size} bytes`, limits);
      }
      yield item;
      if (++index >= maxItems) return;
    }
  } catch (error) {
    // A cancelled read is the caller's doing, not a dataset failure.
    if (signal?.aborted === true || isDatasetFailure(error)) throw error;
    if (error instanceof OversizedItem) throw oversized(source, index, error.where ?? "longer than any item may be", limits);
    if (error instanceof DatasetFormatError) throw itemReaderFailed(`Malformed ${source.format} in ${source.name}: ${error.message}`);
    throw itemReaderFailed(`Unable to read ${source.name}: ${describeS3Error(error, s3.endpoint)}`);
  }
}

/**
 * Whether a row of strings (CSV, inventory) is surely within the limit without serialising it: a
 * character takes at most 6 bytes in JSON text (`\u0000`), each entry adds 6 (quotes, colon, comma).
 * Serialising every row would double the cost of reading a CSV.
 */
function certainlyFits(item: Json, limit: number): boolean {
  if (typeof item !== "object" || item === null || Array.isArray(item)) return false;
  let bound = 2;
  for (const key in item) {
    const value = item[key];
    if (typeof value !== "string") return false;
    bound += (key.length + value.length) * 6 + 6;
  }
  return bound <= limit;
}

interface Source {
  /** The object or listing, as causes name it. */
  name: string;
  format: string;
}

function oversized(source: Source, index: number, detail: string, limits: ReadLimits): DatasetFailure {
  return itemReaderFailed(
    `The item at index ${index} of ${source.name} (${detail}) is over the ${limits.maxItemBytes}-byte payload limit (States.DataLimitExceeded)`,
  );
}

function openSource(
  s3: S3Context,
  request: ItemReaderRequest,
  limits: ReadLimits,
  signal?: AbortSignal,
): { source: Source; items: AsyncIterable<Json> } {
  const parameters = request.parameters;
  const bucket = stringField(parameters.Bucket, "Bucket", true) as string;
  // Text longer than this many characters cannot be an item within the limit (JSON escapes only grow it).
  const maxChars = limits.maxItemBytes * 4;
  if (request.resource === LIST_OBJECTS_V2) {
    const prefix = stringField(parameters.Prefix, "Prefix", false);
    return {
      source: { name: s3Url(bucket, prefix ?? ""), format: "listing" },
      items: listObjectsItems(s3, bucket, prefix, limits.listPageSize, itemReaderFailed, signal),
    };
  }
  if (request.resource !== GET_OBJECT) {
    throw itemReaderFailed(`The ItemReader's Resource ${request.resource} is not supported: use ${GET_OBJECT} or ${LIST_OBJECTS_V2}`);
  }
  const ref: ObjectRef = { bucket, key: stringField(parameters.Key, "Key", true) as string };
  const versionId = stringField(parameters.VersionId, "VersionId", false);
  if (versionId !== undefined) ref.versionId = versionId;
  const config = request.readerConfig;
  // Without an InputType, AWS reads the object as a JSON array.
  const inputType = config.InputType ?? "JSON";
  const source = { name: describeRef(ref), format: inputType };
  if (inputType === "MANIFEST") return { source, items: manifestItems(s3, ref, itemReaderFailed, maxChars, signal) };
  const text = async function* () {
    yield* utf8Chunks(await openObject(s3, ref, itemReaderFailed, signal));
  };
  switch (inputType) {
    case "JSON":
      return { source, items: jsonArrayItems(text(), maxChars) };
    case "JSONL":
      return { source, items: jsonLinesItems(text(), maxChars) };
    case "CSV": {
      if (config.CSVHeaderLocation === "GIVEN" && (config.CSVHeaders === undefined || config.CSVHeaders.length === 0)) {
        throw itemReaderFailed("The ItemReader's ReaderConfig has CSVHeaderLocation GIVEN but no CSVHeaders");
      }
      const headers = config.CSVHeaderLocation === "GIVEN" ? config.CSVHeaders : undefined;
      const delimiter = csvDelimiters[config.CSVDelimiter ?? "COMMA"];
      if (delimiter === undefined) throw itemReaderFailed(`The ItemReader's CSVDelimiter ${config.CSVDelimiter} is not supported`);
      return { source, items: csvItems(text(), { headers, delimiter, maxRecordChars: maxChars }) };
    }
    default:
      throw itemReaderFailed(`The ItemReader's InputType ${String(inputType)} is not supported: use JSON, JSONL, CSV or MANIFEST`);
  }
}

function stringField(value: Json | undefined, field: string, required: boolean): string | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== "string" || (required && value.length === 0)) {
    throw itemReaderFailed(
      `The ItemReader's ${field} must be a ${required ? "non-empty " : ""}string, got ${JSON.stringify(value ?? null)}`,
    );
  }
  return value;
}
