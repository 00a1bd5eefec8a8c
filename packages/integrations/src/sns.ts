/**
 * SNS's optimized integration: `arn:aws:states:::sns:publish` (and `.waitForTaskToken`). AWS documents no
 * optimization beyond the call: the parameters are Publish's request (TopicArn or TargetArn or PhoneNumber,
 * Message, Subject, MessageAttributes, MessageStructure, MessageGroupId, MessageDeduplicationId); a
 * `Message` that is not text is sent as its JSON, as AWS's callback examples rely on (`{"TaskToken.$":
 * "$$.Task.Token", …}`). The result is the API's response (`MessageId`, `SequenceNumber` on FIFO topics)
 * with the SDK's HTTP metadata. Errors are `SNS.<Exception>`, e.g. `SNS.NotFoundException`.
 */
import type { Json, JsonObject } from "@stepwise/asl";
import { TaskFailure } from "@stepwise/runtime";
import { sdkCallFailure } from "./error-names.ts";
import { withSdkMetadata } from "./optimized-result.ts";
import type { SdkClients } from "./sdk-clients.ts";

export async function snsOptimized(clients: SdkClients, action: string, parameters: JsonObject, signal: AbortSignal): Promise<Json> {
  if (action !== "publish") {
    throw new TaskFailure(
      "States.Runtime",
      `sns:${action} is not an optimized SNS integration (publish); use arn:aws:states:::aws-sdk:sns:${action}`,
    );
  }
  const message = parameters.Message;
  const request = { ...parameters, Message: typeof message === "string" ? message : JSON.stringify(message ?? null) };
  try {
    return withSdkMetadata(await clients.call("sns", action, request, signal));
  } catch (error) {
    throw sdkCallFailure(error, "SNS", false);
  }
}
