/** CreateActivity, DescribeActivity, DeleteActivity, ListActivities. */
import { activityArn, checkName } from "@stepwise/runtime";
import { createActivity, deleteActivity, getActivity, listActivities } from "@stepwise/storage";
import { z } from "zod";
import { type Action, action, arnContext, namesNothing } from "./action.ts";
import { requireArn } from "./arn-checks.ts";
import { encryptionField, requireOwnedKey } from "./machine-settings.ts";
import { arnField, maxResultsField, nameField, nextTokenField, tagListField } from "./request-shape.ts";
import { requireTagCount } from "./tag-limits.ts";
import { epochSeconds, present } from "./wire.ts";

const createRequest = z.object({ name: nameField, tags: tagListField, encryptionConfiguration: encryptionField });

const byActivityArn = (request: { activityArn: string }) => [{ arn: request.activityArn }];

const create: Action = action(
  createRequest,
  (request, { runtime }) => [{ arn: activityArn(arnContext(runtime), request.name) }],
  async ({ runtime }, request) => {
    checkName(request.name, "activity");
    requireOwnedKey(request.encryptionConfiguration);
    const arn = activityArn(arnContext(runtime), request.name);
    requireTagCount(request.tags ?? [], arn);
    const { activity } = await createActivity(runtime.db, { arn, name: request.name, tags: request.tags ?? [] });
    return { activityArn: activity.arn, creationDate: epochSeconds(activity.createdAt) };
  },
);

const describe: Action = action(z.object({ activityArn: arnField }), byActivityArn, async ({ runtime }, request) => {
  const activity = await getActivity(runtime.db, requireArn(request.activityArn, "activity"));
  return {
    activityArn: activity.arn,
    name: activity.name,
    creationDate: epochSeconds(activity.createdAt),
    encryptionConfiguration: { type: "AWS_OWNED_KEY" },
  };
});

const remove: Action = action(z.object({ activityArn: arnField }), byActivityArn, async ({ runtime }, request) => {
  // As in AWS, deleting an activity that does not exist succeeds.
  await deleteActivity(runtime.db, requireArn(request.activityArn, "activity"));
  return {};
});

const listRequest = z.object({ maxResults: maxResultsField, nextToken: nextTokenField });

const list: Action = action(listRequest, namesNothing, async ({ runtime, access }, request) => {
  const arnLike = access.activityArnPatterns(arnContext(runtime));
  const page = await listActivities(runtime.db, { ...request, ...(arnLike ? { arnLike } : {}) });
  return present({
    activities: page.items.map((a) => ({ activityArn: a.arn, name: a.name, creationDate: epochSeconds(a.createdAt) })),
    nextToken: page.nextToken,
  });
});

export const activityActions: Record<string, Action> = {
  CreateActivity: create,
  DescribeActivity: describe,
  DeleteActivity: remove,
  ListActivities: list,
};
