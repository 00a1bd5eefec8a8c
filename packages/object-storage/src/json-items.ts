/** Items of a JSON array document and of a JSON Lines document, parsed one at a time. */
import type { Json } from "@stepwise/asl";
import { DatasetFormatError, OversizedItem } from "./format-error.ts";
import { JsonArraySplitter } from "./json-array-splitter.ts";

export async function* jsonArrayItems(chunks: AsyncIterable<string>, maxElementChars: number): AsyncGenerator<Json> {
  const splitter = new JsonArraySplitter(maxElementChars);
  for await (const chunk of chunks) {
    for (const [text, position] of splitter.push(chunk)) yield parseElement(text, `the array element at position ${position}`);
  }
  splitter.end();
}

export async function* jsonLinesItems(chunks: AsyncIterable<string>, maxLineChars: number): AsyncGenerator<Json> {
  let pending = "";
  let line = 0;
  for await (const chunk of chunks) {
    let start = 0;
    for (let newline = chunk.indexOf("\n"); newline !== -1; newline = chunk.indexOf("\n", start)) {
      const text = pending + chunk.slice(start, newline);
      pending = "";
      start = newline + 1;
      line++;
      const item = parseLine(text, line);
      if (item !== undefined) yield item;
    }
    pending += chunk.slice(start);
    if (pending.length > maxLineChars) throw new OversizedItem(`line ${line + 1}`);
  }
  const item = parseLine(pending, line + 1);
  if (item !== undefined) yield item;
}

function parseLine(text: string, line: number): Json | undefined {
  // Blank lines (and the CR of CRLF files) hold no item.
  if (text.trim().length === 0) return undefined;
  return parseElement(text, `line ${line}`);
}

function parseElement(text: string, where: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (error) {
    throw new DatasetFormatError(`${where} is not valid JSON (${(error as Error).message})`);
  }
}
