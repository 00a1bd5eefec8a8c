/**
 * What one child execution contributes to a result file, per `WriterConfig.Transformation`, and which
 * file (SUCCEEDED, FAILED or PENDING) it goes to.
 */
import type { Json, JsonObject, ResultTransformation, ResultWriterEntry } from "@stepwise/asl";

export type ResultFileGroup = "SUCCEEDED" | "FAILED" | "PENDING";

export function resultFileGroup(entry: ResultWriterEntry): ResultFileGroup {
  switch (entry.Status) {
    case "SUCCEEDED":
      return "SUCCEEDED";
    case "FAILED":
    case "TIMED_OUT":
    case "ABORTED":
      return "FAILED";
    default:
      // Not run to an end (never started, or waiting for a redrive).
      return "PENDING";
  }
}

/**
 * The values written for an entry. NONE: the execution's record as AWS writes it (keys in AWS's
 * alphabetical order). COMPACT: a succeeded child's output alone. FLATTEN: as COMPACT, an array output
 * spread into one value per element. AWS writes a child that did not succeed unchanged whatever the
 * transformation.
 */
export function resultValues(entry: ResultWriterEntry, transformation: ResultTransformation): Json[] {
  if (transformation === "NONE" || entry.Status !== "SUCCEEDED") return [executionRecord(entry)];
  const output = entry.Output === undefined ? null : (JSON.parse(entry.Output) as Json);
  return transformation === "FLATTEN" && Array.isArray(output) ? output : [output];
}

function executionRecord(entry: ResultWriterEntry): JsonObject {
  const record: JsonObject = {};
  for (const key of Object.keys(entry).sort()) {
    if (key === "index") continue;
    const value = (entry as unknown as Record<string, Json | undefined>)[key];
    if (value !== undefined) record[key] = value;
  }
  return record;
}
