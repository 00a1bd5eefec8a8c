/**
 * DynamoDB: AWS's optimized integration (`arn:aws:states:::dynamodb:getItem|putItem|updateItem|deleteItem`,
 * request-response only) and what the SDK integration needs to carry DynamoDB's typed attribute values.
 * The task's parameters are the API's request; its result is the API's response, attribute values typed
 * (`{"S": "…"}`), binary values as base64, plus the SDK's HTTP metadata as AWS's optimized integration
 * returns it. Errors are `DynamoDB.<Exception>`, e.g. `DynamoDB.ConditionalCheckFailedException`.
 */
import { isJsonObject, type Json, type JsonObject } from "@stepwise/asl";
import { TaskFailure } from "@stepwise/runtime";
import { sdkCallFailure } from "./error-names.ts";
import { type SdkAnswer, type SdkClients, toJson } from "./sdk-clients.ts";

export const DYNAMODB_OPTIMIZED_ACTIONS: ReadonlySet<string> = new Set(["getItem", "putItem", "updateItem", "deleteItem"]);

/** Request fields that hold attribute values, by the shape they hold them in. */
const ITEM_FIELDS = ["Item", "Key", "ExpressionAttributeValues", "ExclusiveStartKey"];

/** JSON carries binary attribute values as base64 text; the SDK sends bytes. */
function attributeValue(value: Json): unknown {
  if (!isJsonObject(value)) return value;
  const out: Record<string, unknown> = { ...value };
  if (typeof value.B === "string") out.B = Buffer.from(value.B, "base64");
  if (Array.isArray(value.BS)) out.BS = value.BS.map((b) => (typeof b === "string" ? Buffer.from(b, "base64") : b));
  if (isJsonObject(value.M)) out.M = attributeMap(value.M);
  if (Array.isArray(value.L)) out.L = value.L.map(attributeValue);
  return out;
}

function attributeMap(map: JsonObject): Record<string, unknown> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, attributeValue(v)]));
}

/** The task's parameters as the DynamoDB SDK takes them. */
export function dynamoDbRequest(parameters: JsonObject): JsonObject {
  const request: Record<string, unknown> = { ...parameters };
  for (const field of ITEM_FIELDS) {
    const value = parameters[field];
    if (isJsonObject(value)) request[field] = attributeMap(value);
  }
  return request as JsonObject;
}

/** AWS's optimized integrations return the SDK's HTTP metadata with the API's response. */
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

export async function dynamoDbOptimized(clients: SdkClients, action: string, parameters: JsonObject, signal: AbortSignal): Promise<Json> {
  if (!DYNAMODB_OPTIMIZED_ACTIONS.has(action)) {
    throw new TaskFailure(
      "States.Runtime",
      `dynamodb:${action} is not an optimized DynamoDB integration (getItem, putItem, updateItem, deleteItem); use arn:aws:states:::aws-sdk:dynamodb:${action}`,
    );
  }
  try {
    return withSdkMetadata(await clients.call("dynamodb", action, dynamoDbRequest(parameters), signal));
  } catch (error) {
    throw sdkCallFailure(error, "DynamoDB", false);
  }
}
