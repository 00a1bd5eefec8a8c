/**
 * Bodies and payloads in AWS SDK integrations, which the SDK handles as bytes or streams and a state's data
 * holds as JSON. As on AWS:
 *
 * - `aws-sdk:s3:getObject` answers the object's content as text in `Body` (read it with
 *   `States.StringToJson` when it is JSON); `aws-sdk:s3:putObject` takes `Body` as text, or any other JSON
 *   value as its JSON text.
 * - `aws-sdk:lambda:invoke` takes `Payload` as JSON (sent as its JSON text) and answers the function's
 *   `Payload` as the JSON text it returned: unlike the optimized `lambda:invoke`, the SDK integration does
 *   not parse it.
 *
 * Other services' blobs stay base64 text (see sdk-clients.ts's toJson).
 */
import type { Json, JsonObject } from "@stepwise/asl";
import { TaskFailure } from "@stepwise/runtime";

/** The SDK's response body: a Node stream (async iterable of bytes) that can be destroyed. */
type BodyStream = AsyncIterable<Uint8Array> & { destroy?: () => void };

function isBodyStream(value: unknown): value is BodyStream {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value;
}

/** Which request field carries JSON-or-text, by `<service>:<action>`. */
const TEXT_REQUEST_FIELDS: Readonly<Record<string, string>> = { "s3:putObject": "Body", "lambda:invoke": "Payload" };

export function sdkRequest(service: string, action: string, parameters: JsonObject): JsonObject {
  const key = `${service}:${action}`;
  const field = Object.hasOwn(TEXT_REQUEST_FIELDS, key) ? TEXT_REQUEST_FIELDS[key] : undefined;
  if (field === undefined || !Object.hasOwn(parameters, field)) return parameters;
  const value: Json | undefined = parameters[field];
  return typeof value === "string" ? parameters : { ...parameters, [field]: JSON.stringify(value ?? null) };
}

export async function sdkOutput(
  service: string,
  action: string,
  output: Record<string, unknown>,
  maxBytes: number,
): Promise<Record<string, unknown>> {
  if (service === "s3" && isBodyStream(output.Body)) return { ...output, Body: await bodyText(output, output.Body, maxBytes) };
  if (service === "lambda" && action === "invoke" && output.Payload instanceof Uint8Array) {
    return { ...output, Payload: Buffer.from(output.Payload).toString("utf-8") };
  }
  return output;
}

/**
 * Reads a streamed body to its end as UTF-8 text. An object larger than a state's payload limit could never
 * be the task's result: it fails with States.DataLimitExceeded without being read into memory.
 */
async function bodyText(output: Record<string, unknown>, body: BodyStream, maxBytes: number): Promise<string> {
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
  return Buffer.concat(chunks).toString("utf-8");
}
