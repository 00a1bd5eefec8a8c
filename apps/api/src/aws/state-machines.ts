/** CreateStateMachine, DescribeStateMachine, UpdateStateMachine, DeleteStateMachine, ListStateMachines. */
import { checkName, stateMachineArn } from "@stepwise/runtime";
import {
  createStateMachine,
  type Database,
  deleteStateMachine,
  getStateMachine,
  getStateMachineVersion,
  listStateMachines,
  type NewStateMachine,
  purgeStateMachine,
  StateMachineDeleting,
  StateMachineDoesNotExist,
  type StateMachineRecord,
  updateStateMachine,
} from "@stepwise/storage";
import { z } from "zod";
import { definitionReach } from "../auth/definition-reach.ts";
import { type Action, action, arnContext, byMachineArn, iamAction, namesNothing } from "./action.ts";
import { requireArn, requireMachineTarget } from "./arn-checks.ts";
import { AwsError } from "./aws-error.ts";
import { requireValidDefinition } from "./definition-check.ts";
import {
  DEFAULT_LOGGING,
  DEFAULT_TRACING,
  encryptionField,
  loggingField,
  normaliseLogging,
  normaliseTracing,
  requireOwnedKey,
  tracingField,
} from "./machine-settings.ts";
import { arnField, maxResultsField, nameField, nextTokenField, tagListField } from "./request-shape.ts";
import { publishVersion, requirePublishForDescription, versionDescriptionField } from "./state-machine-versions.ts";
import { requireRetentionTag, requireTagCount } from "./tag-limits.ts";
import { epochSeconds, present } from "./wire.ts";

const definitionField = z.string().min(1).max(1_048_576);
const typeField = z.enum(["STANDARD", "EXPRESS"]);

const createRequest = z.object({
  name: nameField,
  definition: definitionField,
  roleArn: arnField,
  type: typeField.optional(),
  loggingConfiguration: loggingField,
  tracingConfiguration: tracingField,
  encryptionConfiguration: encryptionField,
  tags: tagListField,
  publish: z.boolean().optional(),
  versionDescription: versionDescriptionField,
});

const createMachine: Action = action(
  createRequest,
  (request, { runtime }) => [{ arn: stateMachineArn(arnContext(runtime), request.name) }],
  async ({ runtime, access, action: operation }, request) => {
    checkName(request.name, "state machine");
    requirePublishForDescription(request);
    requireOwnedKey(request.encryptionConfiguration);
    const type = request.type ?? "STANDARD";
    const arn = stateMachineArn(arnContext(runtime), request.name);
    requireValidDefinition(request.definition, type);
    access.requireReach(
      iamAction(operation),
      definitionReach(request.definition, runtime.engine.resourceMap, runtime.engine.lambdaService),
    );
    requireTagCount(request.tags ?? [], arn);
    requireRetentionTag(request.tags ?? []);
    const machine: NewStateMachine = {
      arn,
      name: request.name,
      definition: request.definition,
      roleArn: request.roleArn,
      type,
      loggingConfiguration: normaliseLogging(request.loggingConfiguration),
      tracingConfiguration: normaliseTracing(request.tracingConfiguration),
      tags: request.tags ?? [],
    };
    let created: Awaited<ReturnType<typeof createStateMachine>>;
    try {
      created = await createStateMachine(runtime.db, machine);
    } catch (error) {
      // The name is held by a deleted machine that only waited for its last executions to end.
      if (!(error instanceof StateMachineDeleting) || !(await purgeStateMachine(runtime.db, error.arn))) throw error;
      created = await createStateMachine(runtime.db, machine);
    }
    // A repeated create publishes nothing new: the latest version already has this revision.
    const version = request.publish
      ? await publishVersion(runtime.db, created.stateMachine.arn, { description: request.versionDescription })
      : undefined;
    return present({
      stateMachineArn: created.stateMachine.arn,
      creationDate: epochSeconds(created.stateMachine.createdAt),
      stateMachineVersionArn: version?.arn,
    });
  },
);

/**
 * DeleteStateMachine only marks a machine DELETING while executions of it run; whoever looks at it after
 * they have ended finishes the deletion.
 */
async function purgeIfDeleting(db: Database, machine: StateMachineRecord | { arn: string; status: string }): Promise<boolean> {
  return machine.status === "DELETING" && (await purgeStateMachine(db, machine.arn));
}

export async function getLiveStateMachine(db: Database, arn: string): Promise<StateMachineRecord> {
  const machine = await getStateMachine(db, arn);
  if (await purgeIfDeleting(db, machine)) throw new StateMachineDoesNotExist(arn);
  return machine;
}

const describeRequest = z.object({ stateMachineArn: arnField, includedData: z.enum(["ALL_DATA", "METADATA_ONLY"]).optional() });

const describeMachine: Action = action(describeRequest, byMachineArn, async ({ runtime }, request) => {
  const target = requireMachineTarget(request.stateMachineArn, "machine", "version");
  const machine = await getLiveStateMachine(runtime.db, target.machineArn);
  // As AWS describes a version: its own snapshot, under its own ARN, with its machine's name, status and type.
  const described = target.kind === "version" ? await getStateMachineVersion(runtime.db, target.arn) : machine;
  return present({
    stateMachineArn: described.arn,
    name: machine.name,
    status: machine.status,
    definition: described.definition,
    roleArn: described.roleArn,
    type: machine.type,
    creationDate: epochSeconds(described.createdAt),
    loggingConfiguration: described.loggingConfiguration ?? DEFAULT_LOGGING,
    tracingConfiguration: described.tracingConfiguration ?? DEFAULT_TRACING,
    revisionId: described.revisionId,
    description: described.description,
    encryptionConfiguration: { type: "AWS_OWNED_KEY" },
  });
});

const updateRequest = z.object({
  stateMachineArn: arnField,
  definition: definitionField.optional(),
  roleArn: arnField.optional(),
  loggingConfiguration: loggingField,
  tracingConfiguration: tracingField,
  encryptionConfiguration: encryptionField,
  publish: z.boolean().optional(),
  versionDescription: versionDescriptionField,
});

const updateMachine: Action = action(updateRequest, byMachineArn, async ({ runtime, access, action: operation }, request) => {
  const arn = requireArn(request.stateMachineArn, "stateMachine");
  requirePublishForDescription(request);
  requireOwnedKey(request.encryptionConfiguration);
  const { definition, roleArn, loggingConfiguration, tracingConfiguration } = request;
  if (definition === undefined && roleArn === undefined && loggingConfiguration === undefined && tracingConfiguration === undefined) {
    throw new AwsError(
      "MissingRequiredParameter",
      "Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified",
    );
  }
  const machine = await getLiveStateMachine(runtime.db, arn);
  if (definition !== undefined) {
    requireValidDefinition(definition, machine.type);
    access.requireReach(iamAction(operation), definitionReach(definition, runtime.engine.resourceMap, runtime.engine.lambdaService));
  }
  const updated = await updateStateMachine(runtime.db, arn, {
    ...(definition !== undefined ? { definition } : {}),
    ...(roleArn !== undefined ? { roleArn } : {}),
    ...(loggingConfiguration !== undefined ? { loggingConfiguration: normaliseLogging(loggingConfiguration) } : {}),
    ...(tracingConfiguration !== undefined ? { tracingConfiguration: normaliseTracing(tracingConfiguration) } : {}),
  });
  // Published from the revision this update made: an update in between is a ConflictException.
  const version = request.publish
    ? await publishVersion(runtime.db, arn, { revisionId: updated.revisionId, description: request.versionDescription })
    : undefined;
  return present({ updateDate: epochSeconds(updated.updatedAt), revisionId: updated.revisionId, stateMachineVersionArn: version?.arn });
});

const deleteMachine: Action = action(z.object({ stateMachineArn: arnField }), byMachineArn, async ({ runtime }, request) => {
  const arn = requireArn(request.stateMachineArn, "stateMachine");
  // As in AWS, deleting a machine that does not exist (any more) succeeds.
  if (await deleteStateMachine(runtime.db, arn)) await purgeStateMachine(runtime.db, arn);
  return {};
});

const listRequest = z.object({ maxResults: maxResultsField, nextToken: nextTokenField });

const listMachines: Action = action(listRequest, namesNothing, async ({ runtime, access }, request) => {
  const arnLike = access.stateMachineArnPatterns(arnContext(runtime));
  const page = await listStateMachines(runtime.db, { ...request, ...(arnLike ? { arnLike } : {}) });
  const items = [];
  for (const machine of page.items) {
    if (await purgeIfDeleting(runtime.db, machine)) continue;
    items.push({ stateMachineArn: machine.arn, name: machine.name, type: machine.type, creationDate: epochSeconds(machine.createdAt) });
  }
  return present({ stateMachines: items, nextToken: page.nextToken });
});

export const stateMachineActions: Record<string, Action> = {
  CreateStateMachine: createMachine,
  DescribeStateMachine: describeMachine,
  UpdateStateMachine: updateMachine,
  DeleteStateMachine: deleteMachine,
  ListStateMachines: listMachines,
};
