/**
 * The port between a distributed Map and the datasets it reads and writes (ItemReader, ResultWriter).
 * The ASL core evaluates the fields (Parameters or Arguments, ReaderConfig, WriterConfig) and says what
 * to read or write; an implementation outside the core does the I/O: `@stepwise/object-storage` against
 * any S3-compatible store, the local runner's mocks file in tests. Field names and values are AWS's.
 */
import type { Json, JsonObject } from "./json.ts";

export type ItemReaderInputType = "JSON" | "JSONL" | "CSV" | "MANIFEST";
export type CsvDelimiter = "COMMA" | "PIPE" | "SEMICOLON" | "SPACE" | "TAB";

/** `ReaderConfig` with its `…Path` fields already resolved. */
export interface ReaderConfig {
  InputType?: ItemReaderInputType;
  CSVHeaderLocation?: "FIRST_ROW" | "GIVEN";
  CSVHeaders?: string[];
  CSVDelimiter?: CsvDelimiter;
  /** Read at most this many items (AWS: `MaxItems` / `MaxItemsPath`, at most 100,000,000). */
  MaxItems?: number;
}

/** What an ItemReader asks for, evaluated. */
export interface ItemReaderRequest {
  /** `arn:aws:states:::s3:getObject` or `arn:aws:states:::s3:listObjectsV2`. */
  resource: string;
  /** The evaluated `Parameters` (JSONPath) or `Arguments` (JSONata): `Bucket`, `Key`, `VersionId`, or `Bucket`, `Prefix`. */
  parameters: JsonObject;
  readerConfig: ReaderConfig;
}

export type ResultTransformation = "NONE" | "COMPACT" | "FLATTEN";

/** `WriterConfig`, evaluated. */
export interface WriterConfig {
  OutputType?: "JSON" | "JSONL";
  Transformation?: ResultTransformation;
}

/** What a ResultWriter asks to write, evaluated. */
export interface ResultWriterRequest {
  /** `arn:aws:states:::s3:putObject`. */
  resource: string;
  /** The evaluated `Parameters` / `Arguments`: `Bucket`, `Prefix`. */
  parameters: JsonObject;
  writerConfig: WriterConfig;
  /** The Map Run whose results these are: AWS writes them under `<Prefix>/<map run id>/`. */
  mapRunArn: string;
}

export type ChildExecutionStatus = "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED" | "PENDING_REDRIVE" | "RUNNING";

/** One child workflow execution's entry in a result file, in AWS's shape (`Transformation: NONE`). */
export interface ResultWriterEntry {
  ExecutionArn: string;
  Name: string;
  StateMachineArn: string;
  Status: ChildExecutionStatus;
  StartDate: string;
  StopDate?: string;
  /** The child's input as a JSON text, as AWS writes it. */
  Input: string;
  InputDetails: { Included: boolean };
  Output?: string;
  OutputDetails?: { Included: boolean };
  Error?: string;
  Cause?: string;
  RedriveCount: number;
  RedriveStatus: string;
  /** Which item (or batch) of the Map this child ran: files are written in item order. */
  index: number;
}

/** The Map's output once the results are written: `{"ResultWriterDetails": {"Bucket", "Key"}}`. */
export interface ResultWriterDetails {
  Bucket: string;
  /** The key of the `manifest.json` written last. */
  Key: string;
}

/** A failure of the dataset store: AWS's error name and a cause that names the object and the problem. */
export interface DatasetFailure {
  error: "States.ItemReaderFailed" | "States.ResultWriterFailed";
  cause: string;
}

export interface DatasetStore {
  /** Streams the items in order; never loads a whole object. Throws a `DatasetFailure`-shaped value. */
  readItems(request: ItemReaderRequest, signal?: AbortSignal): AsyncIterable<Json>;
  /** Writes the result files and the manifest; throws a `DatasetFailure`-shaped value. */
  writeResults(request: ResultWriterRequest, entries: AsyncIterable<ResultWriterEntry>): Promise<ResultWriterDetails>;
}
