/**
 * S3 object bodies in AWS SDK integrations (`aws-sdk:s3:getObject`, `aws-sdk:s3:putObject`). The SDK
 * streams bodies; a state's data is JSON. As on AWS, `getObject` answers the object's content as text in
 * `Body` (read it with `States.StringToJson` when it is JSON), and `putObject` takes `Body` as text, or
 * any other JSON value as its JSON text.
 */
import type { Json, JsonObject } from "@stepwise/asl";
import { TaskFailure } from "@stepwise/runtime";

/** The SDK's response body: a Node stream (async iterable of bytes) that can be destroyed. */
type BodyStream = AsyncIterable<Uint8Array> & { destroy?: () => void };

function isBodyStream(value: unknown): value is BodyStream {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value;
}

export function s3Request(action: string, parameters: JsonObject): JsonObject {
  if (action !== "putObject" || !Object.hasOwn(parameters, "Body")) return parameters;
  const body: Json | undefined = parameters.Body;
  return typeof body === "string" ? parameters : { ...parameters, Body: JSON.stringify(body ?? null) };
}

/**
 * Reads a streamed `Body` to its end as UTF-8 text; the output is otherwise unchanged. An object larger
 * than a state's payload limit could never be the task's result: it fails with States.DataLimitExceeded
 * without being read into memory.
 */
export async function s3Output(output: Record<string, unknown>, maxBytes: number): Promise<Record<string, unknown>> {
  const body = output.Body;
  if (!isBodyStream(body)) return output;
  const tooLarge = (size: string) => {
    body.destroy?.();
    return new TaskFailure(
      "States.DataLimitExceeded",
      `The object's body (${size}) is over the ${maxBytes}-byte payload limit of a state's result`,
    );
  };
  if (typeof output.ContentLength === "number" && output.ContentLength > maxBytes) throw tooLarge(`${output.ContentLength} bytes`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > maxBytes) throw tooLarge(`over ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return { ...output, Body: Buffer.concat(chunks).toString("utf-8") };
}
