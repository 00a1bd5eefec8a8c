/**
 * CSV rows as items, as AWS builds them: an object from header to the row's value, every value a
 * string; a row with fewer fields than headers gets empty strings, extra fields are skipped.
 */
import type { CsvDelimiter, JsonObject } from "@stepwise/asl";
import { CsvParser } from "./csv-parser.ts";
import { DatasetFormatError } from "./format-error.ts";

export const csvDelimiters: Record<CsvDelimiter, string> = {
  COMMA: ",",
  PIPE: "|",
  SEMICOLON: ";",
  SPACE: " ",
  TAB: "\t",
};

export interface CsvOptions {
  /** Headers given in the definition (`CSVHeaderLocation: GIVEN`), or undefined to read the first row. */
  headers: string[] | undefined;
  delimiter: string;
  maxRecordChars: number;
}

export async function* csvRows(chunks: AsyncIterable<string>, delimiter: string, maxRecordChars: number): AsyncGenerator<string[]> {
  const parser = new CsvParser(delimiter, maxRecordChars);
  for await (const chunk of chunks) {
    for (const record of parser.push(chunk)) yield record.fields;
  }
  for (const record of parser.end()) yield record.fields;
}

export async function* csvItems(chunks: AsyncIterable<string>, options: CsvOptions): AsyncGenerator<JsonObject> {
  let headers = options.headers;
  if (headers !== undefined) checkHeaders(headers);
  let rows = 0;
  for await (const fields of csvRows(chunks, options.delimiter, options.maxRecordChars)) {
    if (headers === undefined) {
      headers = fields;
      checkHeaders(headers);
      continue;
    }
    rows++;
    yield rowObject(headers, fields);
  }
  if (headers === undefined) throw new DatasetFormatError("the CSV file is empty: it has no header row");
  if (rows === 0 && options.headers === undefined) throw new DatasetFormatError("the CSV file contains only CSV headers and no rows");
}

export function rowObject(headers: string[], fields: string[]): JsonObject {
  const item: JsonObject = {};
  for (let i = 0; i < headers.length; i++) item[headers[i] as string] = fields[i] ?? "";
  return item;
}

function checkHeaders(headers: string[]): void {
  if (new Set(headers).size < headers.length) throw new DatasetFormatError("CSV headers cannot contain duplicates.");
}
