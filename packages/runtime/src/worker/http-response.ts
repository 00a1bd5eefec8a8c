/** An HTTP response as the HTTP Task's result: `{ Headers, ResponseBody, StatusCode, StatusText }`. */
import { TextDecoder } from "node:util";
import { type Json, ownValue, setJsonProperty } from "@stepwise/asl";
import { TaskFailure } from "./task-handler.ts";

export interface HttpTaskResult {
  [key: string]: Json;
  /** Lower-case header names, each with its values (AWS's shape: `{ "content-type": ["application/json"] }`). */
  Headers: { [name: string]: string[] };
  /** Parsed JSON when the response says it is JSON (and is), otherwise the text. */
  ResponseBody: Json;
  StatusCode: number;
  StatusText: string;
}

/** Reads the body, refusing one larger than `limit` bytes without buffering more than that. */
export async function readHttpResponse(response: Response, limit: number): Promise<{ result: HttpTaskResult; text: string }> {
  const bytes = await readLimited(response, limit);
  const contentType = response.headers.get("content-type") ?? "";
  const text = decoderFor(contentType).decode(bytes);
  // Names the remote server chose: `constructor` or `__proto__` must be headers like any other.
  const headers: HttpTaskResult["Headers"] = {};
  for (const [name, value] of response.headers) setJsonProperty(headers, name, [...(ownValue(headers, name) ?? []), value]);
  const result = {
    Headers: headers,
    ResponseBody: isJsonMediaType(contentType) ? parseOrText(text) : text,
    StatusCode: response.status,
    StatusText: response.statusText,
  };
  return { result, text };
}

async function readLimited(response: Response, limit: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (declared > limit) {
    await response.body?.cancel();
    throw tooLarge(limit);
  }
  if (response.body === null) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function tooLarge(limit: number): TaskFailure {
  return new TaskFailure("States.DataLimitExceeded", `The HTTP response body is larger than ${limit} bytes.`);
}

function decoderFor(contentType: string): TextDecoder {
  const charset = /;\s*charset="?([^";\s]+)/i.exec(contentType)?.[1];
  try {
    return new TextDecoder(charset ?? "utf-8");
  } catch {
    return new TextDecoder("utf-8");
  }
}

function isJsonMediaType(contentType: string): boolean {
  const media = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  return media === "application/json" || media.endsWith("+json");
}

function parseOrText(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
}
