/**
 * CreateScheduleGroup, GetScheduleGroup, DeleteScheduleGroup, ListScheduleGroups, and the tags of
 * schedule groups (TagResource, UntagResource, ListTagsForResource): on AWS only groups carry tags.
 */
import {
  createScheduleGroup,
  DEFAULT_SCHEDULE_GROUP,
  deleteScheduleGroup,
  ensureScheduleGroup,
  getScheduleGroup,
  listScheduleGroups,
  retagScheduleGroup,
  scheduleGroupByArn,
  type Tag,
} from "@stepwise/storage";
import { checkName, scheduleGroupArn } from "@stepwise/triggers";
import { maxResultsOf } from "./schedule-actions.ts";
import { arnContext, queryValue, type SchedulerRequest } from "./scheduler-context.ts";
import { SchedulerError, validation } from "./scheduler-error.ts";
import { groupView } from "./views.ts";

/** AWS: at most 200 tags per resource. */
const MAX_TAGS = 200;

const ensureDefault = (request: SchedulerRequest) =>
  ensureScheduleGroup(
    request.runtime.db,
    DEFAULT_SCHEDULE_GROUP,
    scheduleGroupArn(arnContext(request.runtime), DEFAULT_SCHEDULE_GROUP),
    new Date(),
  );

function tagsOf(value: unknown, field = "Tags"): Tag[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > MAX_TAGS) throw validation(`${field}: must be a list of at most ${MAX_TAGS} tags`);
  return value.map((tag, i) => {
    const { Key, Value } = (tag ?? {}) as { Key?: unknown; Value?: unknown };
    if (typeof Key !== "string" || Key.length < 1 || Key.length > 128) throw validation(`${field}[${i}].Key: must be 1 to 128 characters`);
    if (typeof Value !== "string" || Value.length < 1 || Value.length > 256)
      throw validation(`${field}[${i}].Value: must be 1 to 256 characters`);
    return { key: Key, value: Value };
  });
}

/** Scoped credentials reach state machines; schedule groups hold other callers' schedules too. */
function requireUnscoped(request: SchedulerRequest): void {
  if (request.access.stateMachineArnPatterns(arnContext(request.runtime)) !== undefined) {
    throw new SchedulerError(
      "AccessDeniedException",
      `${request.access.principal} is not authorized to perform: ${request.action} because a scoped credential manages schedules, not schedule groups`,
    );
  }
}

export async function createScheduleGroupAction(request: SchedulerRequest) {
  requireUnscoped(request);
  const name = checkName(request.label, "Name");
  const arn = scheduleGroupArn(arnContext(request.runtime), name);
  if (name === DEFAULT_SCHEDULE_GROUP) await ensureDefault(request);
  await createScheduleGroup(request.runtime.db, { name, arn, tags: tagsOf(request.body.Tags), now: new Date() });
  return { ScheduleGroupArn: arn };
}

export async function getScheduleGroupAction(request: SchedulerRequest) {
  const name = checkName(request.label, "Name");
  if (name === DEFAULT_SCHEDULE_GROUP) await ensureDefault(request);
  return groupView(await getScheduleGroup(request.runtime.db, name));
}

export async function deleteScheduleGroupAction(request: SchedulerRequest) {
  requireUnscoped(request);
  const name = checkName(request.label, "Name");
  if (name === DEFAULT_SCHEDULE_GROUP) throw validation("Name: the default schedule group cannot be deleted");
  await deleteScheduleGroup(request.runtime.db, name);
  return {};
}

export async function listScheduleGroupsAction(request: SchedulerRequest) {
  await ensureDefault(request);
  const namePrefix = queryValue(request.query, "NamePrefix");
  if (namePrefix !== undefined) checkName(namePrefix, "NamePrefix");
  const page = await listScheduleGroups(
    request.runtime.db,
    { namePrefix },
    { maxResults: maxResultsOf(queryValue(request.query, "MaxResults")), nextToken: queryValue(request.query, "NextToken") },
  );
  return { ScheduleGroups: page.items.map(groupView), NextToken: page.nextToken };
}

export async function listTagsAction(request: SchedulerRequest) {
  const group = await scheduleGroupByArn(request.runtime.db, request.label);
  return { Tags: group.tags.map((tag) => ({ Key: tag.key, Value: tag.value })) };
}

export async function tagResourceAction(request: SchedulerRequest) {
  requireUnscoped(request);
  const tags = tagsOf(request.body.Tags);
  if (tags.length === 0) throw validation("Tags: at least one tag is required");
  await retagScheduleGroup(
    request.runtime.db,
    request.label,
    (current) => {
      const merged = new Map(current.map((tag) => [tag.key, tag.value]));
      for (const tag of tags) merged.set(tag.key, tag.value);
      if (merged.size > MAX_TAGS) throw validation(`Tags: a schedule group has at most ${MAX_TAGS} tags`);
      return [...merged].map(([key, value]) => ({ key, value }));
    },
    new Date(),
  );
  return {};
}

export async function untagResourceAction(request: SchedulerRequest) {
  requireUnscoped(request);
  const raw = request.query.TagKeys;
  const keys = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  if (keys.length === 0) throw validation("TagKeys: at least one tag key is required");
  const removed = new Set(keys);
  await retagScheduleGroup(request.runtime.db, request.label, (current) => current.filter((tag) => !removed.has(tag.key)), new Date());
  return {};
}
