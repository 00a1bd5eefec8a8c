/**
 * SQS's optimized integration: `arn:aws:states:::sqs:sendMessage` (and `.waitForTaskToken`). A
 * `MessageBody` that is not text is sent as its JSON, as AWS does; the result is the API's response
 * (`MD5OfMessageBody`, `MessageId`, …) with the SDK's HTTP metadata.
 */
import type { Json, JsonObject } from "@stepwise/asl";
import { TaskFailure } from "@stepwise/runtime";
import { sdkCallFailure } from "./error-names.ts";
import { withSdkMetadata } from "./optimized-result.ts";
import type { SdkClients } from "./sdk-clients.ts";

export async function sqsOptimized(clients: SdkClients, action: string, parameters: JsonObject, signal: AbortSignal): Promise<Json> {
  if (action !== "sendMessage") {
    throw new TaskFailure(
      "States.Runtime",
      `sqs:${action} is not an optimized SQS integration (sendMessage); use arn:aws:states:::aws-sdk:sqs:${action}`,
    );
  }
  const body = parameters.MessageBody;
  const request = { ...parameters, MessageBody: typeof body === "string" ? body : JSON.stringify(body ?? null) };
  try {
    return withSdkMetadata(await clients.call("sqs", action, request, signal));
  } catch (error) {
    throw sdkCallFailure(error, "SQS", false);
  }
}
