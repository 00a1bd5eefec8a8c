/**
 * What AWS's optimized integrations (DynamoDB, SQS) return: the API's response with the SDK's HTTP metadata
 * (`SdkHttpMetadata`, `SdkResponseMetadata`), as AWS's own SDK client reports it.
 */
import type { Json, JsonObject } from "@stepwise/asl";
import { type SdkAnswer, toJson } from "./sdk-clients.ts";

export function withSdkMetadata(answer: SdkAnswer): Json {
  const output = toJson(answer.output) as JsonObject;
  return {
    ...output,
    SdkHttpMetadata: { AllHttpHeaders: allHeaders(answer.headers), HttpHeaders: answer.headers, HttpStatusCode: answer.statusCode ?? 200 },
    SdkResponseMetadata: { RequestId: answer.requestId ?? "" },
  };
}

function allHeaders(headers: Record<string, string>): JsonObject {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]]));
}
