/**
 * What a definition reaches once it runs: the activities its Task states send work to and the state
 * machines they start, found in every branch and item processor. A Task starts a machine when its resource
 * resolves to the built-in `startExecution` handler, whichever way it is named (the states: integration, a
 * Lambda-style name of the handler, or an entry of STEPWISE_RESOURCE_MAP), so resources are resolved as
 * the workers resolve them. It also lists the AWS services its integration tasks call.
 */
import { describeResource, isJsonObject, type Json, type JsonObject, type StatesBlock } from "@stepwise/asl";
import { AWS_INTEGRATION_HANDLER, awsIntegration, resolveResource } from "@stepwise/runtime";

export interface DefinitionReach {
  /** ARNs named literally, with the state that names each. */
  arns: Array<{ arn: string; state: string }>;
  /** States that start a state machine chosen at run time (a path, an expression, or the state's input). */
  dynamicStates: string[];
  /** AWS services its integration tasks call (`dynamodb`, `sqs`), with the state that calls each. */
  services: Array<{ service: string; state: string }>;
}

type ResourceMap = Readonly<Record<string, string>>;

const START_EXECUTION = "arn:aws:states:::states:startExecution";
// Resolution is input-dependent only for lambda:invoke, whose FunctionName picks the handler.
const LAMBDA_INVOKE = /^arn:aws:states:::lambda:invoke(\.waitForTaskToken)?$/;

/**
 * `definition` must already be valid ASL; `resourceMap` is the workers' STEPWISE_RESOURCE_MAP;
 * `lambdaService`: Lambda resources call the Lambda service of AWS_ENDPOINT_URL_LAMBDA.
 */
export function definitionReach(definition: string, resourceMap: ResourceMap, lambdaService = false): DefinitionReach {
  const reach: DefinitionReach = { arns: [], dynamicStates: [], services: [] };
  const builtIn = resolveResource(taskRequest("", START_EXECUTION, {}), {});
  const nestedHandler = builtIn.kind === "handler" ? builtIn.handler : undefined;
  visit(JSON.parse(definition) as StatesBlock, { resourceMap, lambdaService, nestedHandler, reach });
  return reach;
}

interface Visit {
  resourceMap: ResourceMap;
  lambdaService: boolean;
  /** The handler name the built-in startExecution integration runs under. */
  nestedHandler: string | undefined;
  reach: DefinitionReach;
}

function visit(block: StatesBlock, v: Visit): void {
  for (const [name, state] of Object.entries(block.States)) {
    if (state.Type === "Parallel") for (const branch of state.Branches) visit(branch, v);
    if (state.Type === "Map") {
      const processor = state.ItemProcessor ?? state.Iterator;
      if (processor) visit(processor, v);
    }
    if (state.Type !== "Task") continue;
    const parameters = literalPart(state.Parameters ?? state.Arguments);
    const target = resolveResource(taskRequest(name, state.Resource, parameters), v.resourceMap, { lambdaService: v.lambdaService });
    if (target.kind === "activity") v.reach.arns.push({ arn: target.activityArn, state: name });
    // Only where the workers would call the service: a STEPWISE_RESOURCE_MAP entry sends it to a handler.
    const integration =
      target.kind === "handler" && target.handler === AWS_INTEGRATION_HANDLER ? awsIntegration(state.Resource) : undefined;
    if (integration) v.reach.services.push({ service: integration.service, state: name });
    const unresolved = target.kind === "unknown" && LAMBDA_INVOKE.test(state.Resource);
    if (unresolved || (target.kind === "handler" && target.handler === v.nestedHandler)) {
      const arn = target.kind === "handler" && isJsonObject(target.payload) ? target.payload.StateMachineArn : undefined;
      if (typeof arn === "string") v.reach.arns.push({ arn, state: name });
      else v.reach.dynamicStates.push(name);
    }
  }
}

/**
 * The parameters as far as they are known before the state runs: fields computed at run time (JSONPath
 * `.$` keys, JSONata `{% … %}` strings) are left out, and parameters that are computed as a whole (or
 * absent, so the state's input is used) are known not at all. A field given both literally and as `.$`
 * is computed too: validation refuses the pair, and were one to slip through, the `.$` value is what
 * would run, never the literal one this check could read.
 */
function literalPart(parameters: Json | undefined): JsonObject {
  if (parameters === undefined || !isJsonObject(parameters)) return {};
  const known: JsonObject = {};
  for (const [key, value] of Object.entries(parameters)) {
    if (key.endsWith(".$") || Object.hasOwn(parameters, `${key}.$`) || (typeof value === "string" && value.includes("{%"))) continue;
    // Defined, not assigned: a field named "__proto__" must stay a field.
    Object.defineProperty(known, key, {
      value: isJsonObject(value) ? literalPart(value) : value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return known;
}

function taskRequest(stateName: string, resource: string, input: JsonObject) {
  const { resourceType, resourceName } = describeResource(resource);
  return { taskId: "", stateName, resource, resourceType, resourceName, input };
}
