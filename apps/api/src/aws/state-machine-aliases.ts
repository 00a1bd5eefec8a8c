/**
 * CreateStateMachineAlias, DescribeStateMachineAlias, UpdateStateMachineAlias, ListStateMachineAliases,
 * DeleteStateMachineAlias. An alias belongs to the machine whose versions it routes to.
 */
import { qualifiedMachineArn } from "@stepwise/runtime";
import {
  createStateMachineAlias,
  deleteStateMachineAlias,
  findStateMachineVersions,
  getStateMachineAlias,
  listStateMachineAliases,
  ResourceNotFound,
  type RoutingEntry,
  type StateMachineAliasRecord,
  StateMachineDeleting,
  updateStateMachineAlias,
} from "@stepwise/storage";
import { z } from "zod";
import { type Action, action, byMachineArn } from "./action.ts";
import { requireMachineTarget } from "./arn-checks.ts";
import { validationError } from "./aws-error.ts";
import { arnField, longArnField, maxResultsField, nextTokenField } from "./request-shape.ts";
import { getLiveStateMachine } from "./state-machines.ts";
import { epochSeconds, present } from "./wire.ts";

/** AWS's alias names: at least one character that is not a digit, so that no alias looks like a version. */
const ALIAS_NAME_PATTERN = "^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$";

const aliasNameField = z
  .string()
  .min(1)
  .max(80)
  .regex(new RegExp(ALIAS_NAME_PATTERN), { message: `must satisfy regular expression pattern: ${ALIAS_NAME_PATTERN}` });
const descriptionField = z.string().max(256).optional();
const routingField = z
  .array(z.object({ stateMachineVersionArn: arnField, weight: z.number().int().min(0).max(100) }))
  .min(1)
  .max(2);

/**
 * The machine a routing's versions belong to. They must be distinct versions of one machine (of
 * `machineArn`, when given: an alias keeps its machine), their weights adding up to 100.
 */
function routedMachine(routing: readonly RoutingEntry[], machineArn?: string): string {
  const targets = routing.map((entry) => requireMachineTarget(entry.stateMachineVersionArn, "version"));
  const machines = new Set([machineArn, ...targets.map((t) => t.machineArn)].filter((arn) => arn !== undefined));
  if (machines.size > 1) throw validationError("Routing configuration must contain versions of the same state machine");
  if (new Set(targets.map((t) => t.arn)).size < targets.length) {
    throw validationError("Routing configuration must contain distinct state machine versions");
  }
  if (routing.reduce((sum, entry) => sum + entry.weight, 0) !== 100) {
    throw validationError("Sum of routing configuration weights must be equal to 100");
  }
  return targets[0]?.machineArn as string;
}

const routingNames = (request: { routingConfiguration?: RoutingEntry[] | undefined }) =>
  (request.routingConfiguration ?? []).map((entry) => ({ arn: entry.stateMachineVersionArn }));

const createRequest = z.object({ name: aliasNameField, description: descriptionField, routingConfiguration: routingField });

const createAlias: Action = action(createRequest, routingNames, async ({ runtime }, request) => {
  const machineArn = routedMachine(request.routingConfiguration);
  const { alias } = await createStateMachineAlias(runtime.db, {
    arn: qualifiedMachineArn(machineArn, request.name),
    stateMachineArn: machineArn,
    name: request.name,
    description: request.description ?? null,
    routingConfiguration: request.routingConfiguration,
  });
  return { stateMachineAliasArn: alias.arn, creationDate: epochSeconds(alias.createdAt) };
});

const byAliasArn = (request: { stateMachineAliasArn: string; routingConfiguration?: RoutingEntry[] | undefined }) => [
  { arn: request.stateMachineAliasArn },
  ...routingNames(request),
];

const describeAlias: Action = action(z.object({ stateMachineAliasArn: longArnField }), byAliasArn, async ({ runtime }, request) => {
  const { arn } = requireMachineTarget(request.stateMachineAliasArn, "alias");
  return describeAliasRecord(await getStateMachineAlias(runtime.db, arn));
});

function describeAliasRecord(alias: StateMachineAliasRecord) {
  return present({
    stateMachineAliasArn: alias.arn,
    name: alias.name,
    description: alias.description,
    routingConfiguration: alias.routingConfiguration,
    creationDate: epochSeconds(alias.createdAt),
    updateDate: epochSeconds(alias.updatedAt),
  });
}

const updateRequest = z.object({
  stateMachineAliasArn: longArnField,
  description: descriptionField,
  routingConfiguration: routingField.optional(),
});

const updateAlias: Action = action(updateRequest, byAliasArn, async ({ runtime }, request) => {
  const target = requireMachineTarget(request.stateMachineAliasArn, "alias");
  const { description, routingConfiguration } = request;
  if (description === undefined && routingConfiguration === undefined) {
    throw validationError("Either the description or the routing configuration must be specified");
  }
  if (routingConfiguration !== undefined) routedMachine(routingConfiguration, target.machineArn);
  const alias = await updateStateMachineAlias(runtime.db, target.arn, {
    ...(description !== undefined ? { description } : {}),
    ...(routingConfiguration !== undefined ? { routingConfiguration } : {}),
  });
  return { updateDate: epochSeconds(alias.updatedAt) };
});

const deleteAlias: Action = action(z.object({ stateMachineAliasArn: longArnField }), byAliasArn, async ({ runtime }, request) => {
  await deleteStateMachineAlias(runtime.db, requireMachineTarget(request.stateMachineAliasArn, "alias").arn);
  return {};
});

const listRequest = z.object({ stateMachineArn: longArnField, maxResults: maxResultsField, nextToken: nextTokenField });

const listAliases: Action = action(listRequest, byMachineArn, async ({ runtime }, request) => {
  const target = requireMachineTarget(request.stateMachineArn, "machine", "version");
  const machine = await getLiveStateMachine(runtime.db, target.machineArn);
  if (machine.status === "DELETING") throw new StateMachineDeleting(machine.arn);
  if (target.kind === "version" && !(await findStateMachineVersions(runtime.db, [target.arn])).has(target.arn)) {
    throw new ResourceNotFound(target.arn);
  }
  const page = await listStateMachineAliases(runtime.db, {
    stateMachineArn: target.machineArn,
    ...(target.kind === "version" ? { versionArn: target.arn } : {}),
    ...(request.maxResults !== undefined ? { maxResults: request.maxResults } : {}),
    ...(request.nextToken !== undefined ? { nextToken: request.nextToken } : {}),
  });
  return present({
    stateMachineAliases: page.items.map((a) => ({ stateMachineAliasArn: a.arn, creationDate: epochSeconds(a.createdAt) })),
    nextToken: page.nextToken,
  });
});

export const stateMachineAliasActions: Record<string, Action> = {
  CreateStateMachineAlias: createAlias,
  DescribeStateMachineAlias: describeAlias,
  UpdateStateMachineAlias: updateAlias,
  ListStateMachineAliases: listAliases,
  DeleteStateMachineAlias: deleteAlias,
};
