/** The fields of a Map state (inline and distributed). */
import { isJsonObject, type Json, type JsonObject } from "../json.ts";
import type { StateContext } from "./context.ts";
import { fieldAt } from "./diagnostics.ts";
import { checkIntegerField, checkNumberField } from "./dynamic-fields.ts";
import { checkJsonataTemplate, checkJsonPathTemplate, checkReferencePath, isJsonataExpression } from "./expressions.ts";
import { atMostOne, checkEnum, checkKnownFields, checkObject, checkString, has, requireFields } from "./field-values.ts";
import { checkLabel } from "./names.ts";

/** Largest batch AWS lets an ItemBatcher build (the payload limit). */
export const MAX_INPUT_BYTES_PER_BATCH = 262_144;

export function checkMapFields(sc: StateContext): void {
  checkProcessor(sc);
  checkItemSource(sc);
  const jsonPath = sc.language === "JSONPath";
  const pathFor = (field: string) => (jsonPath ? `${field}Path` : null);
  checkIntegerField(sc, sc.state, sc.location, "MaxConcurrency", pathFor("MaxConcurrency"), { min: 0 });
  checkNumberField(sc, sc.state, sc.location, "ToleratedFailurePercentage", pathFor("ToleratedFailurePercentage"), { min: 0, max: 100 });
  checkIntegerField(sc, sc.state, sc.location, "ToleratedFailureCount", pathFor("ToleratedFailureCount"), { min: 0 });
  if (has(sc.state, "Label")) checkLabel(sc.machine, sc.state.Label, sc.location);
  if (has(sc.state, "ItemSelector")) checkTemplateObject(sc, sc.state, "ItemSelector", sc.location);
  checkDistributedOnly(sc);
  checkItemBatcher(sc);
  checkItemReader(sc);
  checkResultWriter(sc);
}

function checkProcessor(sc: StateContext): void {
  const d = sc.machine.diagnostics;
  const present = ["ItemProcessor", "Iterator"].filter((f) => has(sc.state, f));
  if (present.length === 0) {
    d.schema("These fields are required: [ItemProcessor] (or the legacy [Iterator])", sc.location);
    return;
  }
  if (!atMostOne(d, sc.state, present, sc.location)) return;
  const field = present[0] as string;
  const processor = sc.state[field];
  const at = fieldAt(sc.location, field);
  if (isJsonObject(processor) && has(processor, "ProcessorConfig"))
    checkProcessorConfig(sc, processor.ProcessorConfig as Json, fieldAt(at, "ProcessorConfig"));
  sc.machine.validateBlock(processor, at, sc.depth + 1, "processor");
}

function checkProcessorConfig(sc: StateContext, config: Json, location: string): void {
  const d = sc.machine.diagnostics;
  if (!isJsonObject(config)) {
    d.schema("The value for the field 'ProcessorConfig' must be an OBJECT", location);
    return;
  }
  checkKnownFields(d, config, ["Mode", "ExecutionType"], location);
  checkEnum(d, config, "Mode", location, ["INLINE", "DISTRIBUTED"]);
  checkEnum(d, config, "ExecutionType", location, ["STANDARD", "EXPRESS"]);
  if (config.Mode === "DISTRIBUTED") requireFields(d, config, ["ExecutionType"], location);
}

function checkItemSource(sc: StateContext): void {
  const d = sc.machine.diagnostics;
  if (sc.language === "JSONPath" && has(sc.state, "ItemsPath")) {
    checkReferencePath(d, sc.state.ItemsPath, "ItemsPath", fieldAt(sc.location, "ItemsPath"));
  }
  if (sc.language === "JSONata" && has(sc.state, "Items")) {
    const items = sc.state.Items as Json;
    const at = fieldAt(sc.location, "Items");
    if (Array.isArray(items) || isJsonataExpression(items)) checkJsonataTemplate(d, items, "Items", at);
    else d.schema("The value for the field 'Items' must be an ARRAY or a JSONata expression", at);
  }
}

/** An object template in the state's language: ItemSelector, BatchInput, ItemReader/ResultWriter Parameters. */
function checkTemplateObject(sc: StateContext, holder: JsonObject, field: string, location: string): void {
  const d = sc.machine.diagnostics;
  const value = holder[field] as Json;
  const at = fieldAt(location, field);
  if (sc.language === "JSONata" && isJsonataExpression(value)) checkJsonataTemplate(d, value, field, at);
  else if (!isJsonObject(value)) d.schema(`The value for the field '${field}' must be an OBJECT`, at);
  else if (sc.language === "JSONPath") checkJsonPathTemplate(d, value, at);
  else checkJsonataTemplate(d, value, field, at);
}

/** Reports a sub-object that is not an object; returns it when it is one. */
function subObject(sc: StateContext, field: string): { object: JsonObject; location: string } | null {
  if (!has(sc.state, field) || !checkObject(sc.machine.diagnostics, sc.state, field, sc.location)) return null;
  return { object: sc.state[field] as JsonObject, location: fieldAt(sc.location, field) };
}

function checkItemBatcher(sc: StateContext): void {
  const batcher = subObject(sc, "ItemBatcher");
  if (!batcher) return;
  const { object, location } = batcher;
  const d = sc.machine.diagnostics;
  const jsonPath = sc.language === "JSONPath";
  const limits = ["MaxItemsPerBatch", "MaxInputBytesPerBatch"];
  const fields = jsonPath ? [...limits, ...limits.map((f) => `${f}Path`), "BatchInput"] : [...limits, "BatchInput"];
  checkKnownFields(d, object, fields, location);
  if (!fields.some((f) => f !== "BatchInput" && has(object, f))) {
    d.schema(`At least one of these fields is required: [${limits.join(", ")}]`, location);
  }
  checkIntegerField(sc, object, location, "MaxItemsPerBatch", jsonPath ? "MaxItemsPerBatchPath" : null, { min: 1 });
  checkIntegerField(sc, object, location, "MaxInputBytesPerBatch", jsonPath ? "MaxInputBytesPerBatchPath" : null, {
    min: 1,
    max: MAX_INPUT_BYTES_PER_BATCH,
  });
  if (has(object, "BatchInput")) checkTemplateObject(sc, object, "BatchInput", location);
}

/** AWS's largest `MaxItems`. */
const MAX_ITEMS = 100_000_000;
const READER_RESOURCES = ["arn:aws:states:::s3:getObject", "arn:aws:states:::s3:listObjectsV2"];
const WRITER_RESOURCES = ["arn:aws:states:::s3:putObject"];

/** ItemReader, ItemBatcher and ResultWriter configure a Map Run: a DISTRIBUTED Map's only. */
function checkDistributedOnly(sc: StateContext): void {
  const processor = sc.state.ItemProcessor ?? sc.state.Iterator;
  const config = isJsonObject(processor) && isJsonObject(processor.ProcessorConfig) ? processor.ProcessorConfig : {};
  if (config.Mode === "DISTRIBUTED") return;
  for (const field of ["ItemReader", "ItemBatcher", "ResultWriter"]) {
    if (has(sc.state, field)) {
      sc.machine.diagnostics.schema(
        `The field '${field}' is only supported when ProcessorConfig.Mode is DISTRIBUTED`,
        fieldAt(sc.location, field),
      );
    }
  }
}

function checkResource(sc: StateContext, object: JsonObject, location: string, allowed: readonly string[]): void {
  const d = sc.machine.diagnostics;
  if (!checkString(d, object, "Resource", location)) return;
  if (!allowed.includes(object.Resource as string)) {
    d.schema(`The value for the field 'Resource' must be one of [${allowed.join(", ")}]`, fieldAt(location, "Resource"));
  }
}

function checkItemReader(sc: StateContext): void {
  const reader = subObject(sc, "ItemReader");
  if (!reader) return;
  const { object, location } = reader;
  const d = sc.machine.diagnostics;
  const parameters = sc.language === "JSONPath" ? "Parameters" : "Arguments";
  checkKnownFields(d, object, ["Resource", "ReaderConfig", parameters], location);
  if (requireFields(d, object, ["Resource", parameters], location)) checkResource(sc, object, location, READER_RESOURCES);
  if (has(object, parameters)) checkTemplateObject(sc, object, parameters, location);
  const config =
    has(object, "ReaderConfig") && checkObject(d, object, "ReaderConfig", location) ? (object.ReaderConfig as JsonObject) : null;
  if (object.Resource === "arn:aws:states:::s3:getObject") {
    // A file needs its format; a listing is a list of objects already.
    if (!config) d.schema("These fields are required: [ReaderConfig] (its InputType says how to read the object)", location);
    else requireFields(d, config, ["InputType"], fieldAt(location, "ReaderConfig"));
  }
  if (config) checkReaderConfig(sc, config, fieldAt(location, "ReaderConfig"));
}

function checkReaderConfig(sc: StateContext, config: JsonObject, location: string): void {
  const d = sc.machine.diagnostics;
  const jsonPath = sc.language === "JSONPath";
  const fields = ["InputType", "CSVHeaderLocation", "CSVHeaders", "CSVDelimiter", "ManifestType", "MaxItems"];
  checkKnownFields(d, config, jsonPath ? [...fields, "MaxItemsPath"] : fields, location);
  checkEnum(d, config, "InputType", location, ["JSON", "JSONL", "CSV", "MANIFEST"]);
  checkEnum(d, config, "CSVHeaderLocation", location, ["FIRST_ROW", "GIVEN"]);
  checkEnum(d, config, "CSVDelimiter", location, ["COMMA", "PIPE", "SEMICOLON", "SPACE", "TAB"]);
  checkEnum(d, config, "ManifestType", location, ["S3_INVENTORY", "ATHENA_DATA"]);
  checkIntegerField(sc, config, location, "MaxItems", jsonPath ? "MaxItemsPath" : null, { min: 1, max: MAX_ITEMS });
  for (const field of ["CSVHeaderLocation", "CSVHeaders", "CSVDelimiter"]) {
    if (has(config, field) && config.InputType !== "CSV") {
      d.schema(`The field '${field}' is only supported when InputType is CSV`, fieldAt(location, field));
    }
  }
  const headers = config.CSVHeaders;
  if (has(config, "CSVHeaders") && !(Array.isArray(headers) && headers.length > 0 && headers.every((h) => typeof h === "string"))) {
    d.schema("The value for the field 'CSVHeaders' must be a non-empty ARRAY of STRING", fieldAt(location, "CSVHeaders"));
  }
  if (config.CSVHeaderLocation === "GIVEN" && !has(config, "CSVHeaders")) {
    d.schema("These fields are required: [CSVHeaders] (CSVHeaderLocation is GIVEN)", location);
  }
  if (has(config, "CSVHeaders") && config.CSVHeaderLocation !== "GIVEN") {
    d.schema("The field 'CSVHeaders' is only supported when CSVHeaderLocation is GIVEN", fieldAt(location, "CSVHeaders"));
  }
}

/**
 * ResultWriter: WriterConfig alone shapes the Map's output; Resource with Parameters (Arguments) exports
 * the results; all three export them shaped.
 */
function checkResultWriter(sc: StateContext): void {
  const writer = subObject(sc, "ResultWriter");
  if (!writer) return;
  const { object, location } = writer;
  const d = sc.machine.diagnostics;
  const parameters = sc.language === "JSONPath" ? "Parameters" : "Arguments";
  checkKnownFields(d, object, ["Resource", "WriterConfig", parameters], location);
  if (has(object, "Resource")) checkResource(sc, object, location, WRITER_RESOURCES);
  if (has(object, parameters)) checkTemplateObject(sc, object, parameters, location);
  if (has(object, "Resource") !== has(object, parameters)) {
    d.schema(`These fields are required together: [Resource, ${parameters}]`, location);
  } else if (!has(object, "Resource") && !has(object, "WriterConfig")) {
    d.schema(`At least one of these fields is required: [WriterConfig, Resource and ${parameters}]`, location);
  }
  if (has(object, "WriterConfig") && checkObject(d, object, "WriterConfig", location)) {
    const config = object.WriterConfig as JsonObject;
    const at = fieldAt(location, "WriterConfig");
    checkKnownFields(d, config, ["OutputType", "Transformation"], at);
    checkEnum(d, config, "OutputType", at, ["JSON", "JSONL"]);
    checkEnum(d, config, "Transformation", at, ["NONE", "COMPACT", "FLATTEN"]);
  }
}
