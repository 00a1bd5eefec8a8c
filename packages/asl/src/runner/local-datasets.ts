/**
 * The local runner's datasets: a distributed Map's ItemReader reads the items its mocks give (or a
 * `DatasetStore` the caller passes), and its ResultWriter's exports are kept in the run's result, so a
 * test can assert on them with no object store.
 */
import { StatesErrorName } from "../errors.ts";
import { asDatasetFailure } from "../interpreter/states/map-dataset.ts";
import type { Json } from "../json.ts";
import type {
  DatasetFailure,
  DatasetStore,
  ItemReaderRequest,
  ResultWriterDetails,
  ResultWriterEntry,
  ResultWriterRequest,
} from "../map-datasets.ts";
import type { MockBook } from "./mocks.ts";

/** One ResultWriter export of the run: what was asked, the entries written, and where they went. */
export interface ResultWrite {
  stateName: string;
  request: ResultWriterRequest;
  entries: ResultWriterEntry[];
  details: ResultWriterDetails;
}

export type DatasetOutcome = { ok: true; value: Json } | { ok: false; error: string; cause: string };

export class LocalDatasets {
  readonly writes: ResultWrite[] = [];

  constructor(
    private readonly mocks: MockBook,
    private readonly store: DatasetStore | undefined,
  ) {}

  async read(stateName: string, request: ItemReaderRequest): Promise<DatasetOutcome> {
    const mock = this.mocks.dataset(stateName)?.ItemReader;
    if (mock) return "Return" in mock ? { ok: true, value: mock.Return } : thrown(mock.Throw);
    if (!this.store) {
      return {
        ok: false,
        error: StatesErrorName.ItemReaderFailed,
        cause: `No dataset for the ItemReader of Map state '${stateName}': give its items in the mocks file ({"${stateName}": {"ItemReader": {"Return": [...]}}}) or pass a DatasetStore.`,
      };
    }
    try {
      const items: Json[] = [];
      for await (const item of this.store.readItems(request)) items.push(item);
      return { ok: true, value: items };
    } catch (e) {
      return storeFailure(e, StatesErrorName.ItemReaderFailed);
    }
  }

  async write(stateName: string, request: ResultWriterRequest, entries: ResultWriterEntry[]): Promise<DatasetOutcome> {
    const mock = this.mocks.dataset(stateName)?.ResultWriter;
    if (mock) return thrown(mock.Throw);
    let details: ResultWriterDetails;
    if (this.store) {
      try {
        details = await this.store.writeResults(request, iterate(entries));
      } catch (e) {
        return storeFailure(e, StatesErrorName.ResultWriterFailed);
      }
    } else {
      const prefix =
        typeof request.parameters.Prefix === "string" && request.parameters.Prefix !== "" ? `${request.parameters.Prefix}/` : "";
      const runId = request.mapRunArn.slice(request.mapRunArn.lastIndexOf(":") + 1);
      details = { Bucket: String(request.parameters.Bucket ?? ""), Key: `${prefix}${runId}/manifest.json` };
    }
    this.writes.push({ stateName, request, entries, details });
    return { ok: true, value: { ...details } };
  }
}

function thrown(t: { Error: string; Cause?: string }): DatasetOutcome {
  return { ok: false, error: t.Error, cause: t.Cause ?? "" };
}

function storeFailure(e: unknown, fallback: DatasetFailure["error"]): DatasetOutcome {
  return { ok: false, ...asDatasetFailure(e, fallback) };
}

async function* iterate<T>(values: T[]): AsyncIterable<T> {
  yield* values;
}
