/**
 * Lambda against a real Lambda-compatible endpoint (AWS_ENDPOINT_URL_LAMBDA; without it the runtime runs
 * the worker's handler named after the function instead, and no task comes here). Two resources, as on AWS:
 *
 * - `arn:aws:states:::lambda:invoke` (and `.waitForTaskToken`), the optimized integration: the parameters
 *   are Invoke's request (FunctionName, Payload, InvocationType, Qualifier, ClientContext, LogType); the
 *   result is Invoke's response with `Payload` parsed from its JSON text, plus the SDK's HTTP metadata.
 * - `arn:aws:lambda:<region>:<account>:function:<name>`: the state's input is the payload and the
 *   function's answer is the result.
 *
 * A function that raised (the response's FunctionError) fails the task with the error type it reported and
 * its error payload as the cause, as AWS does; an error of the Lambda service is `Lambda.<Exception>`
 * (`Lambda.ResourceNotFoundException`, `Lambda.TooManyRequestsException`, `Lambda.SdkClientException`).
 */
import type { Json, JsonObject } from "@stepwise/asl";
import { TaskFailure } from "@stepwise/runtime";
import { sdkCallFailure } from "./error-names.ts";
import { withSdkMetadata } from "./optimized-result.ts";
import type { SdkAnswer, SdkClients } from "./sdk-clients.ts";

/** `arn:aws:states:::lambda:invoke[.waitForTaskToken]`. */
export async function lambdaOptimized(clients: SdkClients, action: string, parameters: JsonObject, signal: AbortSignal): Promise<Json> {
  if (action !== "invoke") {
    throw new TaskFailure(
      "States.Runtime",
      `lambda:${action} is not an optimized Lambda integration (invoke); use arn:aws:states:::aws-sdk:lambda:${action}`,
    );
  }
  const { Payload: payload, ...request } = parameters;
  const answer = await invoke(clients, { ...request, ...(payload === undefined ? {} : { Payload: JSON.stringify(payload) }) }, signal);
  const text = payloadText(answer);
  failIfFunctionFailed(answer, text);
  return withSdkMetadata({ ...answer, output: { ...answer.output, Payload: text === "" ? "" : parsePayload(text) } });
}

/** `arn:aws:lambda:…:function:<name>[:<qualifier>]`: the input is the payload, the function's answer the result. */
export async function lambdaFunction(clients: SdkClients, functionArn: string, input: Json, signal: AbortSignal): Promise<Json> {
  const answer = await invoke(clients, { FunctionName: functionArn, Payload: JSON.stringify(input) }, signal);
  const text = payloadText(answer);
  failIfFunctionFailed(answer, text);
  return text === "" ? null : parsePayload(text);
}

async function invoke(clients: SdkClients, request: JsonObject, signal: AbortSignal): Promise<SdkAnswer> {
  try {
    return await clients.call("lambda", "invoke", request, signal);
  } catch (error) {
    throw sdkCallFailure(error, "Lambda", false);
  }
}

function payloadText(answer: SdkAnswer): string {
  const payload = answer.output.Payload;
  return payload instanceof Uint8Array ? Buffer.from(payload).toString("utf-8") : "";
}

function parsePayload(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw new TaskFailure("States.Runtime", `The function's answer is not JSON: ${text.slice(0, 200)}`);
  }
}

/** The function raised: its `errorType` names the task's error (Lambda.Unknown when it reported none). */
function failIfFunctionFailed(answer: SdkAnswer, text: string): void {
  if (typeof answer.output.FunctionError !== "string") return;
  let errorType: unknown;
  try {
    errorType = (JSON.parse(text) as { errorType?: unknown }).errorType;
  } catch {
    errorType = undefined;
  }
  throw new TaskFailure(typeof errorType === "string" && errorType !== "" ? errorType : "Lambda.Unknown", text);
}
