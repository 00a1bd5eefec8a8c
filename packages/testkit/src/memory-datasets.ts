/**
 * A small, real in-memory object store behind the `DatasetStore` port, for runtime tests: objects by
 * bucket and key, JSON / JSON Lines / CSV (plain, unquoted fields) read as AWS's ItemReader reads them,
 * listings shaped as listObjectsV2's items, and result files written in AWS's layout. Object storage
 * itself is tested against an S3 server in `@stepwise/object-storage`.
 */
import { createHash } from "node:crypto";
import type {
  DatasetStore,
  ItemReaderRequest,
  Json,
  JsonObject,
  ResultWriterDetails,
  ResultWriterEntry,
  ResultWriterRequest,
} from "@stepwise/asl";
import { entryJson } from "@stepwise/asl";

const DELIMITERS = { COMMA: ",", PIPE: "|", SEMICOLON: ";", SPACE: " ", TAB: "\t" } as const;

export class MemoryDatasetStore implements DatasetStore {
  private readonly objects = new Map<string, { text: string; modified: Date }>();
  /** How many reads were asked for: a read is I/O, and must run once per attempt. */
  reads = 0;

  put(bucket: string, key: string, text: string): void {
    this.objects.set(`${bucket}/${key}`, { text, modified: new Date() });
  }

  get(bucket: string, key: string): string | undefined {
    return this.objects.get(`${bucket}/${key}`)?.text;
  }

  keys(bucket: string, prefix = ""): string[] {
    return [...this.objects.keys()].filter((k) => k.startsWith(`${bucket}/${prefix}`)).map((k) => k.slice(bucket.length + 1));
  }

  async *readItems(request: ItemReaderRequest): AsyncIterable<Json> {
    this.reads += 1;
    const bucket = String(request.parameters.Bucket);
    if (request.resource.endsWith(":listObjectsV2")) {
      for (const key of this.keys(bucket, String(request.parameters.Prefix ?? ""))) {
        const object = this.objects.get(`${bucket}/${key}`) as { text: string; modified: Date };
        yield {
          Key: key,
          Size: Buffer.byteLength(object.text),
          ETag: etag(object.text),
          LastModified: object.modified.toISOString(),
          StorageClass: "STANDARD",
        };
      }
      return;
    }
    const key = String(request.parameters.Key);
    const text = this.get(bucket, key);
    if (text === undefined)
      throw { error: "States.ItemReaderFailed", cause: `NoSuchKey: the object s3://${bucket}/${key} does not exist.` };
    yield* parse(text, request, `s3://${bucket}/${key}`);
  }

  async writeResults(request: ResultWriterRequest, entries: AsyncIterable<ResultWriterEntry>): Promise<ResultWriterDetails> {
    const bucket = String(request.parameters.Bucket);
    const prefix = request.parameters.Prefix ? `${String(request.parameters.Prefix)}/` : "";
    const dir = `${prefix}${request.mapRunArn.slice(request.mapRunArn.lastIndexOf(":") + 1)}/`;
    const byStatus = new Map<string, JsonObject[]>();
    for await (const entry of entries) {
      const status = entry.Status === "SUCCEEDED" || entry.Status === "FAILED" ? entry.Status : "PENDING";
      byStatus.set(status, [...(byStatus.get(status) ?? []), entryJson(entry)]);
    }
    const files: JsonObject[] = [];
    for (const [status, list] of byStatus) {
      const key = `${dir}${status}_0.json`;
      this.put(bucket, key, JSON.stringify(list));
      files.push({ Key: key, Size: list.length });
    }
    const manifest = `${dir}manifest.json`;
    this.put(bucket, manifest, JSON.stringify({ DestinationBucket: bucket, MapRunArn: request.mapRunArn, ResultFiles: files }));
    return { Bucket: bucket, Key: manifest };
  }
}

function* parse(text: string, request: ItemReaderRequest, where: string): Iterable<Json> {
  const config = request.readerConfig;
  if (config.InputType === "JSON") {
    const value = JSON.parse(text) as Json;
    if (!Array.isArray(value)) throw { error: "States.ItemReaderFailed", cause: `${where} does not hold a JSON array.` };
    yield* value;
  } else if (config.InputType === "JSONL") {
    for (const line of text.split("\n")) if (line.trim() !== "") yield JSON.parse(line) as Json;
  } else {
    const delimiter = DELIMITERS[config.CSVDelimiter ?? "COMMA"];
    const lines = text.split("\n").filter((l) => l !== "");
    const headers = config.CSVHeaderLocation === "GIVEN" ? (config.CSVHeaders ?? []) : (lines.shift() ?? "").split(delimiter);
    for (const line of lines) {
      const fields = line.split(delimiter);
      yield Object.fromEntries(headers.map((h, i) => [h, fields[i] ?? ""]));
    }
  }
}

function etag(text: string): string {
  return `"${createHash("md5").update(text).digest("hex")}"`;
}
