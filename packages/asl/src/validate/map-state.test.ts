import { describe, expect, it } from "vitest";
import { diagnose, errors, machine, pass, SCHEMA } from "./validate-test-support.ts";

const processor = { StartAt: "I", States: { I: pass } };
const map = (fields: Record<string, unknown>, top: Record<string, unknown> = {}) =>
  machine({ M: { Type: "Map", ItemProcessor: processor, End: true, ...fields } }, top);
const distributed = { StartAt: "I", States: { I: pass }, ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" } };

describe("Map item processor", () => {
  it("needs ItemProcessor or the legacy Iterator, not both", () => {
    expect(errors(machine({ M: { Type: "Map", End: true } }))).toEqual([`${SCHEMA} @ /States/M`]);
    expect(errors(machine({ M: { Type: "Map", Iterator: processor, End: true } }))).toEqual([]);
    expect(errors(map({ Iterator: { StartAt: "J", States: { J: pass } } }))).toEqual([`${SCHEMA} @ /States/M`]);
  });

  it("checks ProcessorConfig", () => {
    expect(errors(map({ ItemProcessor: distributed }))).toEqual([]);
    expect(errors(map({ ItemProcessor: { ...processor, ProcessorConfig: { Mode: "PARALLEL" } } }))).toEqual([
      `${SCHEMA} @ /States/M/ItemProcessor/ProcessorConfig/Mode`,
    ]);
    expect(errors(map({ ItemProcessor: { ...processor, ProcessorConfig: { Mode: "DISTRIBUTED" } } }))).toEqual([
      `${SCHEMA} @ /States/M/ItemProcessor/ProcessorConfig`,
    ]);
    expect(errors(map({ ItemProcessor: { ...processor, ProcessorConfig: { Mode: "INLINE", Size: 3 } } }))).toEqual([
      `${SCHEMA} @ /States/M/ItemProcessor/ProcessorConfig/Size`,
    ]);
  });

  it("refuses fields an item processor does not have", () => {
    expect(errors(map({ ItemProcessor: { ...processor, QueryLanguage: "JSONata" } }))).toEqual([
      `${SCHEMA} @ /States/M/ItemProcessor/QueryLanguage`,
    ]);
  });
});

describe("Map limits", () => {
  it("checks MaxConcurrency and its path", () => {
    expect(errors(map({ MaxConcurrency: 0 }))).toEqual([]);
    expect(errors(map({ MaxConcurrency: -1 }))).toEqual([`${SCHEMA} @ /States/M/MaxConcurrency`]);
    expect(errors(map({ MaxConcurrency: 1.5 }))).toEqual([`${SCHEMA} @ /States/M/MaxConcurrency`]);
    expect(errors(map({ MaxConcurrency: 2, MaxConcurrencyPath: "$.m" }))).toEqual([`${SCHEMA} @ /States/M`]);
    expect(errors(map({ MaxConcurrencyPath: "$.m[" }))).toEqual([`${SCHEMA} @ /States/M/MaxConcurrencyPath`]);
    expect(errors(map({ MaxConcurrency: "{% 3 %}" }, { QueryLanguage: "JSONata" }))).toEqual([]);
  });

  it("checks the tolerated failure fields", () => {
    expect(errors(map({ ItemProcessor: distributed, ToleratedFailurePercentage: 12.5, ToleratedFailureCount: 0 }))).toEqual([]);
    expect(errors(map({ ToleratedFailurePercentage: 101 }))).toEqual([`${SCHEMA} @ /States/M/ToleratedFailurePercentage`]);
    expect(errors(map({ ToleratedFailureCount: -1 }))).toEqual([`${SCHEMA} @ /States/M/ToleratedFailureCount`]);
    expect(errors(map({ ToleratedFailureCountPath: 7 }))).toEqual([`${SCHEMA} @ /States/M/ToleratedFailureCountPath`]);
  });
});

describe("Map items", () => {
  it("checks ItemsPath as a reference path", () => {
    expect(errors(map({ ItemsPath: "$.items" }))).toEqual([]);
    expect(errors(map({ ItemsPath: "$.items[?(@.a)]" }))).toEqual([`${SCHEMA} @ /States/M/ItemsPath`]);
  });

  it("takes a JSONata array or expression as Items", () => {
    const jsonata = { QueryLanguage: "JSONata" };
    expect(errors(map({ Items: [1, "{% $x %}"] }, jsonata))).toEqual([]);
    expect(errors(map({ Items: "{% $states.input.list %}" }, jsonata))).toEqual([]);
    expect(errors(map({ Items: { a: 1 } }, jsonata))).toEqual([`${SCHEMA} @ /States/M/Items`]);
    expect(errors(map({ Items: ["{% $ + %}"] }, jsonata))).toEqual([`${SCHEMA} @ /States/M/Items[0]`]);
  });

  it("checks ItemSelector in the state's language", () => {
    expect(errors(map({ ItemSelector: { "v.$": "$$.Map.Item.Value" } }))).toEqual([]);
    expect(errors(map({ ItemSelector: { "v.$": "Map.Item" } }))).toEqual([`${SCHEMA} @ /States/M/ItemSelector/v.$`]);
    expect(errors(map({ ItemSelector: "$" }))).toEqual([`${SCHEMA} @ /States/M/ItemSelector`]);
    expect(errors(map({ ItemSelector: { v: "{% $states.context.Map.Item. %}" } }, { QueryLanguage: "JSONata" }))).toEqual([
      `${SCHEMA} @ /States/M/ItemSelector/v`,
    ]);
  });
});

describe("Map label", () => {
  it("accepts a short plain label", () => {
    expect(errors(map({ ItemProcessor: distributed, Label: "Batch_1-a" }))).toEqual([]);
  });

  it.each([["a".repeat(41)], ["has space"], ["semi;colon"], ["slash/"], [""]])("refuses the label %j", (label) => {
    expect(errors(map({ ItemProcessor: distributed, Label: label }))).toEqual(["INVALID_LABEL_NAME @ /States/M/Label"]);
  });

  it("refuses a label used twice", () => {
    const definition = machine({
      A: { Type: "Map", ItemProcessor: { StartAt: "I", States: { I: pass } }, Label: "L", Next: "B" },
      B: { Type: "Map", ItemProcessor: { StartAt: "J", States: { J: pass } }, Label: "L", End: true },
    });
    expect(errors(definition)).toEqual(["DUPLICATE_LABEL_NAME @ /States/B/Label"]);
  });
});

describe("distributed Map configuration", () => {
  const dmap = (fields: Record<string, unknown>, top: Record<string, unknown> = {}) => map({ ItemProcessor: distributed, ...fields }, top);
  const reader = {
    Resource: "arn:aws:states:::s3:getObject",
    ReaderConfig: { InputType: "JSON", MaxItems: 10 },
    Parameters: { Bucket: "b", "Key.$": "$.key" },
  };
  const writer = { Resource: "arn:aws:states:::s3:putObject", Parameters: { Bucket: "b", Prefix: "out" } };

  it("checks ItemBatcher", () => {
    expect(errors(dmap({ ItemBatcher: { MaxItemsPerBatch: 10, BatchInput: { "k.$": "$.k" } } }))).toEqual([]);
    expect(errors(dmap({ ItemBatcher: {} }))).toEqual([`${SCHEMA} @ /States/M/ItemBatcher`]);
    expect(errors(dmap({ ItemBatcher: { MaxInputBytesPerBatch: 262_145 } }))).toEqual([
      `${SCHEMA} @ /States/M/ItemBatcher/MaxInputBytesPerBatch`,
    ]);
    expect(errors(dmap({ ItemBatcher: { MaxItemsPerBatch: 0 } }))).toEqual([`${SCHEMA} @ /States/M/ItemBatcher/MaxItemsPerBatch`]);
    expect(errors(dmap({ ItemBatcher: { MaxItemsPerBatchPath: "$.n", Size: 1 } }))).toEqual([`${SCHEMA} @ /States/M/ItemBatcher/Size`]);
    expect(errors(dmap({ ItemBatcher: [] }))).toEqual([`${SCHEMA} @ /States/M/ItemBatcher`]);
    expect(errors(dmap({ ItemBatcher: { MaxItemsPerBatch: "{% $n %}", BatchInput: "{% $x %}" } }, { QueryLanguage: "JSONata" }))).toEqual(
      [],
    );
  });

  it("accepts ItemReader, ItemBatcher and ResultWriter in a DISTRIBUTED Map only", () => {
    expect(errors(dmap({ ItemReader: reader, ResultWriter: writer }))).toEqual([]);
    expect(errors(map({ ItemReader: reader, ItemBatcher: { MaxItemsPerBatch: 2 }, ResultWriter: writer }))).toEqual([
      `${SCHEMA} @ /States/M/ItemReader`,
      `${SCHEMA} @ /States/M/ItemBatcher`,
      `${SCHEMA} @ /States/M/ResultWriter`,
    ]);
    const message = diagnose(map({ ItemReader: reader })).find((d) => d.location === "/States/M/ItemReader")?.message;
    expect(message).toBe("The field 'ItemReader' is only supported when ProcessorConfig.Mode is DISTRIBUTED");
  });

  it("checks the ItemReader's resource and parameters", () => {
    expect(
      errors(dmap({ ItemReader: { Resource: "arn:aws:states:::s3:listObjectsV2", Parameters: { Bucket: "b", Prefix: "p/" } } })),
    ).toEqual([]);
    expect(errors(dmap({ ItemReader: { Parameters: {} } }))).toEqual([`${SCHEMA} @ /States/M/ItemReader`]);
    expect(errors(dmap({ ItemReader: { ...reader, Resource: "arn:aws:states:::s3:getObjects" } }))).toEqual([
      `${SCHEMA} @ /States/M/ItemReader/Resource`,
    ]);
    expect(errors(dmap({ ItemReader: { ...reader, Arguments: {} } }))).toEqual([`${SCHEMA} @ /States/M/ItemReader/Arguments`]);
    const jsonata = { Resource: reader.Resource, ReaderConfig: { InputType: "JSONL" }, Arguments: { Bucket: "{% $b %}", Key: "k" } };
    expect(errors(dmap({ ItemReader: jsonata }, { QueryLanguage: "JSONata" }))).toEqual([]);
  });

  it("checks ReaderConfig", () => {
    const config = (ReaderConfig: Record<string, unknown>) => errors(dmap({ ItemReader: { ...reader, ReaderConfig } }));
    expect(config({ InputType: "CSV", CSVHeaderLocation: "GIVEN", CSVHeaders: ["a", "b"], CSVDelimiter: "PIPE" })).toEqual([]);
    expect(config({ InputType: "CSV", CSVHeaderLocation: "FIRST_ROW", MaxItemsPath: "$.max" })).toEqual([]);
    expect(config({ InputType: "XML" })).toEqual([`${SCHEMA} @ /States/M/ItemReader/ReaderConfig/InputType`]);
    expect(config({ MaxItems: 5 })).toEqual([`${SCHEMA} @ /States/M/ItemReader/ReaderConfig`]);
    expect(config({ InputType: "JSON", MaxItems: 0 })).toEqual([`${SCHEMA} @ /States/M/ItemReader/ReaderConfig/MaxItems`]);
    expect(config({ InputType: "JSON", MaxItems: 100_000_001 })).toEqual([`${SCHEMA} @ /States/M/ItemReader/ReaderConfig/MaxItems`]);
    expect(config({ InputType: "CSV", CSVHeaderLocation: "GIVEN" })).toEqual([`${SCHEMA} @ /States/M/ItemReader/ReaderConfig`]);
    expect(config({ InputType: "CSV", CSVHeaderLocation: "GIVEN", CSVHeaders: [] })).toEqual([
      `${SCHEMA} @ /States/M/ItemReader/ReaderConfig/CSVHeaders`,
    ]);
    expect(config({ InputType: "CSV", CSVHeaders: ["a"] })).toEqual([`${SCHEMA} @ /States/M/ItemReader/ReaderConfig/CSVHeaders`]);
    expect(config({ InputType: "JSON", CSVDelimiter: "TAB" })).toEqual([`${SCHEMA} @ /States/M/ItemReader/ReaderConfig/CSVDelimiter`]);
    expect(config({ InputType: "CSV", CSVHeaderLocation: "FIRST_ROW", CSVDelimiter: "COLON" })).toEqual([
      `${SCHEMA} @ /States/M/ItemReader/ReaderConfig/CSVDelimiter`,
    ]);
    expect(config({ InputType: "JSON", Headers: true })).toEqual([`${SCHEMA} @ /States/M/ItemReader/ReaderConfig/Headers`]);
  });

  it("checks ResultWriter's combinations of fields and its WriterConfig", () => {
    expect(errors(dmap({ ResultWriter: { WriterConfig: { OutputType: "JSONL", Transformation: "FLATTEN" } } }))).toEqual([]);
    expect(errors(dmap({ ResultWriter: { ...writer, WriterConfig: { Transformation: "NONE" } } }))).toEqual([]);
    expect(errors(dmap({ ResultWriter: {} }))).toEqual([`${SCHEMA} @ /States/M/ResultWriter`]);
    expect(errors(dmap({ ResultWriter: { Resource: writer.Resource } }))).toEqual([`${SCHEMA} @ /States/M/ResultWriter`]);
    expect(errors(dmap({ ResultWriter: { Parameters: writer.Parameters } }))).toEqual([`${SCHEMA} @ /States/M/ResultWriter`]);
    expect(errors(dmap({ ResultWriter: { ...writer, Resource: "arn:aws:states:::s3:getObject" } }))).toEqual([
      `${SCHEMA} @ /States/M/ResultWriter/Resource`,
    ]);
    expect(errors(dmap({ ResultWriter: { WriterConfig: { Transformation: "SQUASH" } } }))).toEqual([
      `${SCHEMA} @ /States/M/ResultWriter/WriterConfig/Transformation`,
    ]);
    expect(errors(dmap({ ResultWriter: { WriterConfig: { OutputType: "CSV" } } }))).toEqual([
      `${SCHEMA} @ /States/M/ResultWriter/WriterConfig/OutputType`,
    ]);
    expect(errors(dmap({ ResultWriter: { Resource: "r", Arguments: {} } }))).toEqual([
      `${SCHEMA} @ /States/M/ResultWriter/Arguments`,
      `${SCHEMA} @ /States/M/ResultWriter/Resource`,
      `${SCHEMA} @ /States/M/ResultWriter`,
    ]);
  });
});
