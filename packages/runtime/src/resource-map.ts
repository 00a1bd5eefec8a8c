/**
 * Which local handler runs a Task's `Resource`, so an unchanged AWS definition runs against handlers
 * registered in Stepwise workers.
 */
import type { Json, TaskRequest } from "@stepwise/asl";
import { isJsonObject, ownValue } from "@stepwise/asl";

/** The built-in handler of `arn:aws:states:::states:startExecution[.sync[:2]]`. */
export const NESTED_EXECUTION_HANDLER = "states-startExecution";

/** The built-in handlers of a distributed Map's ItemReader and ResultWriter (see worker/dataset-tasks.ts). */
export const ITEM_READER_HANDLER = "states-itemReader";
export const RESULT_WRITER_HANDLER = "states-resultWriter";

/**
 * The built-in handler of AWS service integrations (`arn:aws:states:::aws-sdk:…`, `:::dynamodb:…`,
 * `:::sns:…`, `:::sqs:…`, `:::events:putEvents`, and Lambda's resources when AWS_ENDPOINT_URL_LAMBDA is set). packages/integrations provides it; a worker started without it answers States.Runtime.
 */
export const AWS_INTEGRATION_HANDLER = "aws-integration";

/** The built-in HTTP Task (`arn:aws:states:::http:invoke`). */
export const HTTP_TASK_HANDLER = "http";

/** Handlers Stepwise's own workers run: no remote worker may take their tasks (they carry credentials and checks of their own). */
export const BUILT_IN_HANDLERS: ReadonlySet<string> = new Set([
  HTTP_TASK_HANDLER,
  NESTED_EXECUTION_HANDLER,
  ITEM_READER_HANDLER,
  RESULT_WRITER_HANDLER,
  AWS_INTEGRATION_HANDLER,
]);

/** An AWS service integration named by a Task's resource. */
export interface AwsIntegration {
  /**
   * `aws-sdk`: any SDK action; `optimized`: AWS's optimized integration of the service; `lambda-function`:
   * a function's own ARN as the resource (Lambda's Invoke, the state's input as the payload).
   */
  family: "aws-sdk" | "optimized" | "lambda-function";
  /** As in the ARN: `dynamodb`, `sqs`. */
  service: string;
  /** As in the ARN: `putItem`. */
  action: string;
  pattern: "requestResponse" | "waitForTaskToken" | "sync";
}

const OPTIMIZED_SERVICES = new Set(["dynamodb", "events", "lambda", "sns", "sqs"]);
const LAMBDA_FUNCTION_ARN = /^arn:aws:lambda:[^:]*:[^:]*:function:([^:]+)(:.+)?$/;
const INTEGRATION_ARN = /^arn:aws:states:::(?:(aws-sdk):)?([a-z0-9-]+):([A-Za-z0-9]+)(\.waitForTaskToken|\.sync(?::2)?)?$/;

/** The integration a resource names, or undefined when it names none that Stepwise integrates with. */
export function awsIntegration(resource: string): AwsIntegration | undefined {
  if (LAMBDA_FUNCTION_ARN.test(resource))
    return { family: "lambda-function", service: "lambda", action: "invoke", pattern: "requestResponse" };
  const match = INTEGRATION_ARN.exec(resource);
  if (!match) return undefined;
  const [, sdk, service = "", action = "", suffix] = match;
  if (!sdk && !OPTIMIZED_SERVICES.has(service)) return undefined;
  const pattern = suffix === ".waitForTaskToken" ? "waitForTaskToken" : suffix ? "sync" : "requestResponse";
  return { family: sdk ? "aws-sdk" : "optimized", service, action, pattern };
}

export type NestedExecutionMode = "async" | "sync" | "sync2";

export function nestedExecutionMode(resource: string): NestedExecutionMode {
  return resource.endsWith(".sync:2") ? "sync2" : resource.endsWith(".sync") ? "sync" : "async";
}

export interface ResolveOptions {
  /**
   * AWS_ENDPOINT_URL_LAMBDA is set: Lambda resources (`arn:aws:lambda:…:function:…`, `lambda:invoke`) that
   * STEPWISE_RESOURCE_MAP does not map call that Lambda service through the integration handler, instead
   * of a handler named after the function.
   */
  lambdaService?: boolean;
}

export type ResourceTarget =
  | { kind: "handler"; handler: string; payload: Json; lambdaInvoke: boolean }
  | { kind: "activity"; activityArn: string }
  | { kind: "unknown"; reason: string };

/**
 * `resourceMap` maps full resource ARNs or Lambda function names to handler names. Names are looked up
 * as own properties: a function named `constructor` or `valueOf` is a handler name like any other.
 */
export function resolveResource(
  task: TaskRequest,
  resourceMap: Readonly<Record<string, string>>,
  options: ResolveOptions = {},
): ResourceTarget {
  const resource = task.resource;
  const mapped = ownValue(resourceMap, resource);
  if (mapped) return { kind: "handler", handler: mapped, payload: task.input, lambdaInvoke: false };
  if (/^arn:aws:states:[^:]+:\d+:activity:/.test(resource)) return { kind: "activity", activityArn: resource };
  const base = resource.replace(/\.(waitForTaskToken|sync(:2)?)$/, "");
  if (base === "arn:aws:states:::states:startExecution")
    return { kind: "handler", handler: NESTED_EXECUTION_HANDLER, payload: task.input, lambdaInvoke: false };
  if (base === "arn:aws:states:::http:invoke")
    return { kind: "handler", handler: HTTP_TASK_HANDLER, payload: task.input, lambdaInvoke: false };
  const lambdaFunction = LAMBDA_FUNCTION_ARN.exec(resource);
  const lambdaService: ResourceTarget = { kind: "handler", handler: AWS_INTEGRATION_HANDLER, payload: task.input, lambdaInvoke: false };
  if (lambdaFunction) {
    const name = lambdaFunction[1] as string;
    const mapped = ownValue(resourceMap, name);
    if (!mapped && options.lambdaService) return lambdaService;
    return { kind: "handler", handler: mapped ?? name, payload: task.input, lambdaInvoke: false };
  }
  if (base === "arn:aws:states:::lambda:invoke") {
    const input = isJsonObject(task.input) ? task.input : {};
    const fn = typeof input.FunctionName === "string" ? input.FunctionName : undefined;
    if (!fn) return { kind: "unknown", reason: "lambda:invoke needs a FunctionName parameter" };
    const name = /function:([^:]+)/.exec(fn)?.[1] ?? fn;
    const mapped = ownValue(resourceMap, fn) ?? ownValue(resourceMap, name);
    if (!mapped && options.lambdaService) return lambdaService;
    return { kind: "handler", handler: mapped ?? name, payload: input.Payload ?? {}, lambdaInvoke: true };
  }
  if (awsIntegration(resource)) return { kind: "handler", handler: AWS_INTEGRATION_HANDLER, payload: task.input, lambdaInvoke: false };
  return { kind: "unknown", reason: `No handler is mapped to the resource '${resource}'` };
}

/** lambda:invoke returns the invocation's envelope, as AWS's optimized integration does. */
export function lambdaInvokeResult(payload: Json): Json {
  return { ExecutedVersion: "$LATEST", Payload: payload, StatusCode: 200 };
}

export function parseResourceMap(text: string): Record<string, string> {
  const value: unknown = JSON.parse(text);
  if (!isJsonObject(value as Json) || !Object.values(value as object).every((v) => typeof v === "string")) {
    throw new Error("STEPWISE_RESOURCE_MAP must be a JSON object of resource → handler name");
  }
  return value as Record<string, string>;
}
