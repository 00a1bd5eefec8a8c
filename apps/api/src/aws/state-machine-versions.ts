/** PublishStateMachineVersion, ListStateMachineVersions, DeleteStateMachineVersion. */
import {
  type Database,
  deleteStateMachineVersion,
  listStateMachineVersions,
  publishStateMachineVersion,
  type StateMachineVersionRecord,
} from "@stepwise/storage";
import { z } from "zod";
import { type Action, action, byMachineArn } from "./action.ts";
import { requireMachineTarget } from "./arn-checks.ts";
import { validationError } from "./aws-error.ts";
import { arnField, longArnField, maxResultsField, nextTokenField } from "./request-shape.ts";
import { epochSeconds, present } from "./wire.ts";

export const versionDescriptionField = z.string().max(256).optional();

/** CreateStateMachine's and UpdateStateMachine's `versionDescription` is only for a version they publish. */
export function requirePublishForDescription(request: { publish?: boolean | undefined; versionDescription?: string | undefined }): void {
  if (request.versionDescription !== undefined && !request.publish) {
    throw validationError("Version description can only be set when publish is true");
  }
}

/** Publishes the machine's current revision (or finds its version): what publish answers with. */
export async function publishVersion(
  db: Database,
  machineArn: string,
  request: { revisionId?: string | undefined; description?: string | undefined },
): Promise<StateMachineVersionRecord> {
  const { version } = await publishStateMachineVersion(db, machineArn, {
    ...(request.revisionId !== undefined ? { revisionId: request.revisionId } : {}),
    ...(request.description !== undefined ? { description: request.description } : {}),
  });
  return version;
}

const publishRequest = z.object({ stateMachineArn: arnField, revisionId: z.string().optional(), description: versionDescriptionField });

const publish: Action = action(publishRequest, byMachineArn, async ({ runtime }, request) => {
  const { machineArn } = requireMachineTarget(request.stateMachineArn, "machine");
  const version = await publishVersion(runtime.db, machineArn, request);
  return { creationDate: epochSeconds(version.createdAt), stateMachineVersionArn: version.arn };
});

const listRequest = z.object({ stateMachineArn: arnField, maxResults: maxResultsField, nextToken: nextTokenField });

const listVersions: Action = action(listRequest, byMachineArn, async ({ runtime }, request) => {
  const { machineArn } = requireMachineTarget(request.stateMachineArn, "machine");
  // As in AWS, a machine that does not exist has no versions rather than being an error.
  const page = await listStateMachineVersions(runtime.db, machineArn, request);
  return present({
    stateMachineVersions: page.items.map((v) => ({ stateMachineVersionArn: v.arn, creationDate: epochSeconds(v.createdAt) })),
    nextToken: page.nextToken,
  });
});

const deleteRequest = z.object({ stateMachineVersionArn: longArnField });

const deleteVersion: Action = action(
  deleteRequest,
  (request) => [{ arn: request.stateMachineVersionArn }],
  async ({ runtime }, request) => {
    const { arn } = requireMachineTarget(request.stateMachineVersionArn, "version");
    // As in AWS, deleting a version that does not exist (any more) succeeds.
    await deleteStateMachineVersion(runtime.db, arn);
    return {};
  },
);

export const stateMachineVersionActions: Record<string, Action> = {
  PublishStateMachineVersion: publish,
  ListStateMachineVersions: listVersions,
  DeleteStateMachineVersion: deleteVersion,
};
