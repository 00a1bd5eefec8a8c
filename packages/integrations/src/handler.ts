/**
 * The built-in task handler of AWS service integrations. It runs like any handler, outside the
 * execution's transaction, and every way it can fail ends the task with a named error: a service that
 * STEPWISE_AWS_INTEGRATIONS does not enable, or missing credentials, is `States.Runtime` with a cause
 * naming the variables to set. Causes carry the remote service's message, never credentials.
 */
import { isJsonObject, type Json, type JsonObject } from "@stepwise/asl";
import { type AwsIntegration, awsIntegration, type TaskContext, TaskFailure, type TaskHandler } from "@stepwise/runtime";
import type { LocalEventBus } from "@stepwise/triggers";
import { type IntegrationsConfig, isEnabled } from "./config.ts";
import { dynamoDbOptimized } from "./dynamodb.ts";
import { sdkCallFailure, sdkServiceName } from "./error-names.ts";
import { eventBridgeOptimized } from "./eventbridge.ts";
import { lambdaFunction, lambdaOptimized } from "./lambda.ts";
import { SdkClients, toJson } from "./sdk-clients.ts";
import { sdkOutput, sdkRequest } from "./sdk-payloads.ts";
import { snsOptimized } from "./sns.ts";
import { sqsOptimized } from "./sqs.ts";

type OptimizedIntegration = (clients: SdkClients, action: string, parameters: JsonObject, signal: AbortSignal) => Promise<Json>;

/** By the service as resources name it (`arn:aws:states:::<service>:<action>`). */
const OPTIMIZED: Readonly<Record<string, OptimizedIntegration>> = {
  dynamodb: dynamoDbOptimized,
  lambda: lambdaOptimized,
  sns: snsOptimized,
  sqs: sqsOptimized,
};

export interface AwsIntegrationHandler extends TaskHandler {
  /** Closes the SDK clients (their keep-alive sockets). */
  close(): void;
}

export interface AwsIntegrationOptions {
  /** The largest result a state may hold (STEPWISE_MAX_PAYLOAD_BYTES): bounds how much of an S3 object is read. */
  maxPayloadBytes?: number;
  /**
   * This server's event buses (`localEventBus` of @stepwise/triggers): where `events:putEvents` sends its
   * entries unless they are bound for an external EventBridge endpoint. Without it, only that endpoint.
   */
  eventBus?: LocalEventBus;
}

export function awsIntegrationHandler(config: IntegrationsConfig, options: AwsIntegrationOptions = {}): AwsIntegrationHandler {
  const clients = new SdkClients(config);
  const maxPayloadBytes = options.maxPayloadBytes ?? 262_144;
  const handler = async (input: unknown, context: TaskContext) => {
    const integration = awsIntegration(context.resource);
    if (!integration) throw new TaskFailure("States.Runtime", `'${context.resource}' is not an AWS service integration`);
    refuseUnsupportedPattern(integration);
    // Events for this server's own buses call no AWS service: only those bound elsewhere need it enabled.
    const ownBus = integration.family === "optimized" && integration.service === "events";
    if (!ownBus) refuseUnlessEnabled(config, integration);
    if (integration.family === "lambda-function") return lambdaFunction(clients, context.resource, input as Json, context.signal);
    const parameters = isJsonObject(input as never) ? (input as JsonObject) : undefined;
    if (!parameters)
      throw new TaskFailure("States.Runtime", `${integration.service}:${integration.action} needs its parameters as a JSON object`);
    if (integration.pattern === "waitForTaskToken") await context.deferCompletion();
    if (ownBus) {
      return eventBridgeOptimized(clients, config, options.eventBus, integration.action, {
        parameters,
        executionArn: context.executionArn,
        signal: context.signal,
        allowExternal: () => refuseUnlessEnabled(config, integration),
      });
    }
    if (integration.family === "optimized") {
      const optimized = Object.hasOwn(OPTIMIZED, integration.service) ? OPTIMIZED[integration.service] : undefined;
      if (!optimized) throw new TaskFailure("States.Runtime", `'${context.resource}' is not an optimized integration Stepwise has`);
      return optimized(clients, integration.action, parameters, context.signal);
    }
    return sdkIntegration(clients, integration, parameters, context.signal, maxPayloadBytes);
  };
  return Object.assign(handler, { close: () => clients.close() });
}

function refuseUnlessEnabled(config: IntegrationsConfig, integration: AwsIntegration): void {
  const { service, action } = integration;
  // The SDK's endpoint variable goes by its service id, which for `events` is EventBridge.
  const endpointVariable = `AWS_ENDPOINT_URL_${service === "events" ? "EVENTBRIDGE" : service.toUpperCase()}`;
  if (!isEnabled(config, service)) {
    throw new TaskFailure(
      "States.Runtime",
      `The AWS service integration '${service}' is not enabled: add '${service}' to STEPWISE_AWS_INTEGRATIONS (a comma-separated list of services, or *) on the workers`,
    );
  }
  if (config.aws.credentials.kind === "none") {
    throw new TaskFailure(
      "States.Runtime",
      `No AWS credentials are configured for ${service}:${action}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE, AWS_WEB_IDENTITY_TOKEN_FILE, AWS_CONTAINER_CREDENTIALS_*), and AWS_ENDPOINT_URL or ${endpointVariable} for a server other than AWS`,
    );
  }
}

function refuseUnsupportedPattern(integration: AwsIntegration): void {
  const { service, action, pattern, family } = integration;
  const callback = pattern === "waitForTaskToken" && !(family === "optimized" && service === "dynamodb");
  if (pattern !== "requestResponse" && !callback) {
    throw new TaskFailure("States.Runtime", `${service}:${action} does not support the ${pattern} integration pattern`);
  }
}

async function sdkIntegration(
  clients: SdkClients,
  integration: AwsIntegration,
  parameters: JsonObject,
  signal: AbortSignal,
  maxPayloadBytes: number,
) {
  const { service, action } = integration;
  let prefix = sdkServiceName(service);
  try {
    prefix = sdkServiceName((await clients.service(service)).serviceId);
    const { output } = await clients.call(service, action, sdkRequest(service, action, parameters), signal);
    return toJson(await sdkOutput(service, action, output, maxPayloadBytes));
  } catch (error) {
    throw sdkCallFailure(error, prefix, true);
  }
}
