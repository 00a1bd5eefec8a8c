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

function checkItemReader(sc: StateContext): void {
  const reader = subObject(sc, "ItemReader");
  if (!reader) return;
  const { object, location } = reader;
  const d = sc.machine.diagnostics;
  const parameters = sc.language === "JSONPath" ? "Parameters" : "Arguments";
  checkKnownFields(d, object, ["Resource", "ReaderConfig", parameters], location);
  if (requireFields(d, object, ["Resource"], location)) checkString(d, object, "Resource", location);
  if (has(object, parameters)) checkTemplateObject(sc, object, parameters, location);
  if (has(object, "ReaderConfig") && checkObject(d, object, "ReaderConfig", location)) {
    const config = object.ReaderConfig as JsonObject;
    const configAt = fieldAt(location, "ReaderConfig");
    checkIntegerField(sc, config, configAt, "MaxItems", sc.language === "JSONPath" ? "MaxItemsPath" : null, { min: 1 });
  }
}

function checkResultWriter(sc: StateContext): void {
  const writer = subObject(sc, "ResultWriter");
  if (!writer) return;
  const { object, location } = writer;
  const d = sc.machine.diagnostics;
  const parameters = sc.language === "JSONPath" ? "Parameters" : "Arguments";
  checkKnownFields(d, object, ["Resource", "WriterConfig", parameters], location);
  checkString(d, object, "Resource", location);
  checkObject(d, object, "WriterConfig", location);
  if (has(object, parameters)) checkTemplateObject(sc, object, parameters, location);
}
