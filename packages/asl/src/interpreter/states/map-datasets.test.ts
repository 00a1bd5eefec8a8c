import { describe, expect, it } from "vitest";
import type { MapState, StateMachineDefinition } from "../../definition.ts";
import type { Json } from "../../json.ts";
import type { DatasetStore, ItemReaderRequest, ResultWriterRequest } from "../../map-datasets.ts";
import type { Mocks } from "../../runner/mocks.ts";
import { runExecution } from "../../runner/run-execution.ts";
import { firstEvent, typesOf } from "./test-support.ts";

const READER = {
  Resource: "arn:aws:states:::s3:getObject",
  ReaderConfig: { InputType: "CSV", CSVHeaderLocation: "FIRST_ROW" },
  Parameters: { "Bucket.$": "$.bucket", Key: "rows.csv" },
};

const WRITER = { Resource: "arn:aws:states:::s3:putObject", Parameters: { Bucket: "results", Prefix: "runs" } };

/** A distributed Map over rows; each child outputs its input, or fails on a row whose id is "bad". */
function batchMachine(map: Partial<MapState> = {}, extra: StateMachineDefinition["States"] = {}): StateMachineDefinition {
  return {
    StartAt: "Rows",
    States: {
      Rows: {
        Type: "Map",
        ItemReader: READER,
        ItemProcessor: {
          ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
          StartAt: "Check",
          States: {
            Check: { Type: "Choice", Choices: [{ Variable: "$.id", StringEquals: "bad", Next: "Boom" }], Default: "Done" },
            Boom: { Type: "Fail", Error: "Row.Bad", Cause: "bad row" },
            Done: { Type: "Pass", End: true },
          },
        },
        End: true,
        ...map,
      } as MapState,
      ...extra,
    },
  };
}

const rows = (...ids: string[]): Json[] => ids.map((id) => ({ id }));
const dataset = (items: Json[]): Mocks => ({ Rows: { ItemReader: { Return: items } } });

describe("distributed Map with an ItemReader", () => {
  it("reads its items through the reader, with the reader's fields evaluated, and records the Map Run as AWS does", async () => {
    const requests: ItemReaderRequest[] = [];
    const store: DatasetStore = {
      async *readItems(request) {
        requests.push(request);
        yield* rows("a", "b");
      },
      writeResults: () => Promise.reject(new Error("not used")),
    };
    const result = await runExecution(batchMachine(), { input: { bucket: "data" }, datasets: store });
    expect(result.status).toBe("SUCCEEDED");
    expect(result.output).toEqual(rows("a", "b"));
    expect(requests).toEqual([
      {
        resource: "arn:aws:states:::s3:getObject",
        parameters: { Bucket: "data", Key: "rows.csv" },
        readerConfig: { InputType: "CSV", CSVHeaderLocation: "FIRST_ROW" },
      },
    ]);
    // AWS: the Map starts with no items known (they are read by the Map Run).
    expect(firstEvent(result, "MapStateStarted").mapStateStartedEventDetails).toEqual({ length: 0 });
    expect(typesOf(result)).toEqual([
      "ExecutionStarted",
      "MapStateEntered",
      "MapStateStarted",
      "MapRunStarted",
      "MapRunSucceeded",
      "MapStateSucceeded",
      "MapStateExited",
      "ExecutionSucceeded",
    ]);
  });

  it("succeeds with no children over an empty dataset, exporting an empty result", async () => {
    const empty = await runExecution(batchMachine({ ResultWriter: WRITER }), { input: { bucket: "b" }, mocks: dataset([]) });
    expect(empty.status).toBe("SUCCEEDED");
    expect(empty.resultWrites[0]?.entries).toEqual([]);
    expect(typesOf(empty)).toContain("MapRunSucceeded");
    const none = await runExecution(batchMachine({ ResultWriter: { WriterConfig: { Transformation: "NONE" } } }), {
      input: { bucket: "b" },
      mocks: dataset([]),
    });
    expect(none.output).toEqual([]);
  });

  it("applies MaxItems, read from the input with MaxItemsPath", async () => {
    const machine = batchMachine({ ItemReader: { ...READER, ReaderConfig: { InputType: "JSON", MaxItemsPath: "$.max" } } });
    const result = await runExecution(machine, { input: { bucket: "b", max: 2 }, mocks: dataset(rows("a", "b", "c")) });
    expect(result.output).toEqual(rows("a", "b"));
  });

  it("fails with States.ItemReaderFailed when the reader fails, after a MapRunFailed, and a Catch takes it", async () => {
    const failing: Mocks = { Rows: { ItemReader: { Throw: { Error: "States.ItemReaderFailed", Cause: "NoSuchKey: rows.csv" } } } };
    const uncaught = await runExecution(batchMachine(), { input: { bucket: "b" }, mocks: failing });
    expect(uncaught).toMatchObject({ status: "FAILED", error: "States.ItemReaderFailed", cause: "NoSuchKey: rows.csv" });
    expect(typesOf(uncaught).slice(-3)).toEqual(["MapRunFailed", "MapStateFailed", "ExecutionFailed"]);

    const caught = await runExecution(
      batchMachine(
        { Catch: [{ ErrorEquals: ["States.ItemReaderFailed"], Next: "Recover", ResultPath: "$.error" }], End: undefined },
        { Recover: { Type: "Pass", End: true } },
      ),
      { input: { bucket: "b" }, mocks: failing },
    );
    expect(caught.status).toBe("SUCCEEDED");
    expect(caught.output).toEqual({ bucket: "b", error: { Error: "States.ItemReaderFailed", Cause: "NoSuchKey: rows.csv" } });
  });

  it("names the missing dataset when neither the mocks nor a store give one", async () => {
    const result = await runExecution(batchMachine(), { input: { bucket: "b" } });
    expect(result.error).toBe("States.ItemReaderFailed");
    expect(result.cause).toContain(`{"Rows": {"ItemReader": {"Return": [...]}}}`);
  });

  it("fails with the store's error and cause when the store fails while reading", async () => {
    const store: DatasetStore = {
      async *readItems() {
        yield { id: "a" };
        throw { error: "States.ItemReaderFailed", cause: "Access Denied reading s3://data/rows.csv" };
      },
      writeResults: () => Promise.reject(new Error("not used")),
    };
    const result = await runExecution(batchMachine(), { input: { bucket: "data" }, datasets: store });
    expect(result).toMatchObject({ status: "FAILED", error: "States.ItemReaderFailed", cause: "Access Denied reading s3://data/rows.csv" });
  });
});

describe("ItemBatcher", () => {
  it("gives each child {BatchInput, Items} of at most MaxItemsPerBatch items, after ItemSelector", async () => {
    const result = await runExecution(
      batchMachine({
        ItemSelector: { "id.$": "$$.Map.Item.Value.id", "at.$": "$$.Map.Item.Index" },
        ItemBatcher: { MaxItemsPerBatch: 2, BatchInput: { "bucket.$": "$.bucket" } },
        ItemProcessor: {
          ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
          StartAt: "P",
          States: { P: { Type: "Pass", End: true } },
        },
      }),
      { input: { bucket: "b" }, mocks: dataset(rows("a", "b", "c")) },
    );
    expect(result.output).toEqual([
      {
        BatchInput: { bucket: "b" },
        Items: [
          { id: "a", at: 0 },
          { id: "b", at: 1 },
        ],
      },
      { BatchInput: { bucket: "b" }, Items: [{ id: "c", at: 2 }] },
    ]);
  });

  it("closes a batch before its JSON text would pass MaxInputBytesPerBatch", async () => {
    // {"Items":[]} is 12 bytes; {"id":"a"} is 10; two items and a comma make 33.
    const passThrough = {
      ProcessorConfig: { Mode: "DISTRIBUTED" as const, ExecutionType: "STANDARD" as const },
      StartAt: "P",
      States: { P: { Type: "Pass" as const, End: true as const } },
    };
    const at = (bytes: number) =>
      runExecution(batchMachine({ ItemBatcher: { MaxInputBytesPerBatchPath: "$.bytes" }, ItemProcessor: passThrough }), {
        input: { bucket: "b", bytes },
        mocks: dataset(rows("a", "b", "c")),
      });
    expect((await at(33)).output).toEqual([{ Items: rows("a", "b") }, { Items: rows("c") }]);
    expect((await at(32)).output).toEqual([{ Items: rows("a") }, { Items: rows("b") }, { Items: rows("c") }]);
    const tooSmall = await at(21);
    expect(tooSmall).toMatchObject({ status: "FAILED", error: "States.ItemReaderFailed" });
    expect(tooSmall.cause).toContain("item at index 0 takes 10 bytes");
  });

  it("batches an inline array too, and counts UTF-8 bytes", async () => {
    const machine: StateMachineDefinition = {
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          ItemBatcher: { MaxInputBytesPerBatch: 21 },
          ItemProcessor: {
            ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "EXPRESS" },
            StartAt: "P",
            States: { P: { Type: "Pass", End: true } },
          },
          End: true,
        },
      },
    };
    // "é" is two bytes: {"Items":["é"]} is 16, {"Items":["é","é"]} is 21, a third passes 21.
    const result = await runExecution(machine, { input: ["é", "é", "é"] });
    expect(result.output).toEqual([{ Items: ["é", "é"] }, { Items: ["é"] }]);
  });

  it("refuses a MaxItemsPerBatchPath that is not a positive integer", async () => {
    const result = await runExecution(batchMachine({ ItemBatcher: { MaxItemsPerBatchPath: "$.n" } }), {
      input: { bucket: "b", n: 0 },
      mocks: dataset(rows("a")),
    });
    expect(result).toMatchObject({ status: "FAILED", error: "States.Runtime" });
    expect(result.cause).toContain('MaxItemsPerBatchPath field refers to value "0"');
  });
});

describe("ResultWriter", () => {
  it("exports every child's entry and outputs ResultWriterDetails, keeping the export in the run's result", async () => {
    const result = await runExecution(batchMachine({ ResultWriter: WRITER, ToleratedFailureCount: 1 }), {
      input: { bucket: "b" },
      mocks: dataset(rows("a", "bad")),
    });
    expect(result.status).toBe("SUCCEEDED");
    const [write] = result.resultWrites;
    const runId = String(firstEvent(result, "MapRunStarted").mapRunStartedEventDetails?.mapRunArn).split(":").pop();
    expect(result.output).toEqual({ ResultWriterDetails: { Bucket: "results", Key: `runs/${runId}/manifest.json` } });
    expect(write?.request).toMatchObject({ resource: WRITER.Resource, parameters: { Bucket: "results", Prefix: "runs" } });
    const [ok, bad] = write?.entries ?? [];
    expect(ok).toMatchObject({ Status: "SUCCEEDED", Input: '{"id":"a"}', Output: '{"id":"a"}', index: 0, RedriveStatus: "NOT_REDRIVABLE" });
    expect(bad).toMatchObject({ Status: "FAILED", Error: "Row.Bad", Cause: "bad row", index: 1, RedriveStatus: "REDRIVABLE" });
    expect(ok?.ExecutionArn).toMatch(
      /^arn:aws:states:us-east-1:123456789012:execution:LocalStateMachine\/Rows:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(ok?.ExecutionArn.endsWith(`:${ok.Name}`)).toBe(true);
    expect(ok?.StateMachineArn).toBe("arn:aws:states:us-east-1:123456789012:stateMachine:LocalStateMachine/Rows");
    expect(ok?.StartDate).toBeTypeOf("string");
    expect(ok?.StopDate).toBeTypeOf("string");
  });

  it("names EXPRESS children as AWS's Express child executions", async () => {
    const express = batchMachine({
      ResultWriter: WRITER,
      Label: "Batch",
      ItemProcessor: {
        ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "EXPRESS" },
        StartAt: "P",
        States: { P: { Type: "Pass", End: true } },
      },
    });
    const result = await runExecution(express, { input: { bucket: "b" }, mocks: dataset(rows("a")) });
    const [entry] = result.resultWrites[0]?.entries ?? [];
    expect(entry?.ExecutionArn).toMatch(/^arn:aws:states:us-east-1:123456789012:express:LocalStateMachine\/Batch:[0-9a-f-]{36}$/);
    expect(entry?.StateMachineArn).toBe("arn:aws:states:us-east-1:123456789012:stateMachine:LocalStateMachine/Batch");
  });

  it("names child executions the same way every time for the same Map Run and index", async () => {
    const run = () =>
      runExecution(batchMachine({ ResultWriter: WRITER }), { input: { bucket: "b" }, mocks: dataset(rows("a")), random: () => 0.5 });
    const [first, second] = await Promise.all([run(), run()]);
    expect(first.resultWrites[0]?.entries[0]?.ExecutionArn).toBe(second.resultWrites[0]?.entries[0]?.ExecutionArn);
  });

  it("fails with States.ResultWriterFailed after MapRunFailed when the export fails, and Retry runs the Map again", async () => {
    const writes: ResultWriterRequest[] = [];
    let calls = 0;
    const store: DatasetStore = {
      async *readItems() {
        yield* rows("a");
      },
      async writeResults(request) {
        writes.push(request);
        calls += 1;
        if (calls === 1) throw { error: "States.ResultWriterFailed", cause: "Access Denied writing runs/manifest.json" };
        return { Bucket: "results", Key: "runs/x/manifest.json" };
      },
    };
    const failing = await runExecution(batchMachine({ ResultWriter: WRITER }), { input: { bucket: "b" }, datasets: store });
    expect(failing).toMatchObject({
      status: "FAILED",
      error: "States.ResultWriterFailed",
      cause: "Access Denied writing runs/manifest.json",
    });
    expect(typesOf(failing).slice(-3)).toEqual(["MapRunFailed", "MapStateFailed", "ExecutionFailed"]);

    calls = 0;
    const retried = await runExecution(
      batchMachine({ ResultWriter: WRITER, Retry: [{ ErrorEquals: ["States.ResultWriterFailed"], IntervalSeconds: 1 }] }),
      { input: { bucket: "b" }, datasets: store },
    );
    expect(retried.status).toBe("SUCCEEDED");
    expect(retried.output).toEqual({ ResultWriterDetails: { Bucket: "results", Key: "runs/x/manifest.json" } });
    expect(typesOf(retried).filter((t) => t === "MapRunStarted")).toHaveLength(2);
  });

  it("exports the results of a Map Run that failed past its tolerated failures, then fails with its error, as AWS does", async () => {
    const result = await runExecution(batchMachine({ ResultWriter: WRITER, ToleratedFailureCount: 0, MaxConcurrency: 1 }), {
      input: { bucket: "b" },
      mocks: dataset(rows("a", "bad", "c")),
    });
    expect(result).toMatchObject({ status: "FAILED", error: "States.ExceedToleratedFailureThreshold" });
    expect(typesOf(result).slice(-3)).toEqual(["MapRunFailed", "MapStateFailed", "ExecutionFailed"]);
    const [write] = result.resultWrites;
    expect(write?.request).toMatchObject({ parameters: { Bucket: "results", Prefix: "runs" } });
    const [ok, bad, never] = write?.entries ?? [];
    expect(ok).toMatchObject({ Status: "SUCCEEDED", Output: '{"id":"a"}' });
    expect(bad).toMatchObject({ Status: "FAILED", Error: "Row.Bad", Cause: "bad row" });
    // Never started: the Map Run gave up on it before it ran.
    expect(never).toMatchObject({ Status: "PENDING_REDRIVE", RedriveStatus: "REDRIVABLE" });
    expect(never).not.toHaveProperty("Error");
    expect(write?.entries).toHaveLength(3);
  });

  it("fails with States.ResultWriterFailed when the export of a failed Map Run fails", async () => {
    const store: DatasetStore = {
      async *readItems() {
        yield* rows("bad");
      },
      writeResults: () => Promise.reject({ error: "States.ResultWriterFailed", cause: "Access Denied" }),
    };
    const result = await runExecution(batchMachine({ ResultWriter: WRITER }), { input: { bucket: "b" }, datasets: store });
    expect(result).toMatchObject({ status: "FAILED", error: "States.ResultWriterFailed", cause: "Access Denied" });
    expect(typesOf(result).filter((t) => t === "MapRunFailed")).toHaveLength(1);
  });

  it("shapes the output without exporting it when only WriterConfig is given", async () => {
    const arrays = { ...dataset([["a", "b"], ["c"]]) };
    const processor = {
      ProcessorConfig: { Mode: "DISTRIBUTED" as const, ExecutionType: "STANDARD" as const },
      StartAt: "P",
      States: { P: { Type: "Pass" as const, End: true as const } },
    };
    const shaped = (Transformation: string) =>
      runExecution(batchMachine({ ItemProcessor: processor, ResultWriter: { WriterConfig: { Transformation, OutputType: "JSON" } } }), {
        input: { bucket: "b" },
        mocks: arrays,
      });
    expect((await shaped("COMPACT")).output).toEqual([["a", "b"], ["c"]]);
    expect((await shaped("FLATTEN")).output).toEqual(["a", "b", "c"]);
    const none = (await shaped("NONE")).output as Json[];
    expect(none).toHaveLength(2);
    expect(none[0]).toMatchObject({ Status: "SUCCEEDED", Input: '["a","b"]', Output: '["a","b"]' });
    expect(none[0]).not.toHaveProperty("index");
    expect((await shaped("NONE")).resultWrites).toEqual([]);
  });
});
