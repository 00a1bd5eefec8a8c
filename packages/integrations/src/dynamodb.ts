/**
 * DynamoDB: AWS's optimized integration (`arn:aws:states:::dynamodb:getItem|putItem|updateItem|deleteItem`,
 * request-response only).
 * The task's parameters are the API's request; its result is the API's response, attribute values typed
 * (`{"S": "…"}`), binary values as base64 both ways (the SDK takes base64 text for its blobs), plus the
 * SDK's HTTP metadata as AWS's optimized integration returns it. Errors are `DynamoDB.<Exception>`, e.g. `DynamoDB.ConditionalCheckFailedException`.
 */
import type { Json, JsonObject } from "@stepwise/asl";
import { TaskFailure } from "@stepwise/runtime";
import { sdkCallFailure } from "./error-names.ts";
import { withSdkMetadata } from "./optimized-result.ts";
import type { SdkClients } from "./sdk-clients.ts";

export const DYNAMODB_OPTIMIZED_ACTIONS: ReadonlySet<string> = new Set(["getItem", "putItem", "updateItem", "deleteItem"]);

export async function dynamoDbOptimized(clients: SdkClients, action: string, parameters: JsonObject, signal: AbortSignal): Promise<Json> {
  if (!DYNAMODB_OPTIMIZED_ACTIONS.has(action)) {
    throw new TaskFailure(
      "States.Runtime",
      `dynamodb:${action} is not an optimized DynamoDB integration (getItem, putItem, updateItem, deleteItem); use arn:aws:states:::aws-sdk:dynamodb:${action}`,
    );
  }
  try {
    return withSdkMetadata(await clients.call("dynamodb", action, parameters, signal));
  } catch (error) {
    throw sdkCallFailure(error, "DynamoDB", false);
  }
}
