/**
 * CreateSchedule, GetSchedule, UpdateSchedule, DeleteSchedule and ListSchedules. A scoped credential may
 * create or change only schedules that start machines in its scope, and sees and deletes only those.
 */
import { machineTarget } from "@stepwise/runtime";
import {
  createSchedule,
  DEFAULT_SCHEDULE_GROUP,
  deleteSchedule,
  ensureScheduleGroup,
  findStateMachine,
  getSchedule,
  listSchedules,
  type NewSchedule,
  type ScheduleRecord,
  updateSchedule,
} from "@stepwise/storage";
import { checkName, scheduleFromRequest, scheduleGroupArn } from "@stepwise/triggers";
import { arnContext, queryValue, type SchedulerRequest } from "./scheduler-context.ts";
import { validation } from "./scheduler-error.ts";
import { scheduleSummary, scheduleView } from "./views.ts";

function groupOf(value: string | undefined, field: string): string {
  return value === undefined ? DEFAULT_SCHEDULE_GROUP : checkName(value, field);
}

/** The target must be in the caller's scope (checked first: the answer then says nothing of what exists) and exist. */
async function checkTarget(request: SchedulerRequest, schedule: NewSchedule): Promise<void> {
  const { runtime, access, action } = request;
  const targetArn = schedule.target.Arn.startsWith("arn:aws:states:") ? schedule.target.Arn : schedule.stateMachineArn;
  await access.require(runtime.db, action, [{ arn: targetArn }]);
  const machine = await findStateMachine(runtime.db, schedule.stateMachineArn);
  if (machine?.status !== "ACTIVE") {
    throw validation(`Target.Arn: the state machine '${schedule.stateMachineArn}' does not exist`);
  }
}

/** A schedule the caller may see: one outside its scope is answered as if it did not exist. */
async function visibleSchedule(request: SchedulerRequest, groupName: string): Promise<ScheduleRecord> {
  const schedule = await getSchedule(request.runtime.db, groupName, request.label);
  await request.access.require(request.runtime.db, request.action, [{ arn: schedule.stateMachineArn }]);
  return schedule;
}

function prepare(request: SchedulerRequest, createdAt?: Date): NewSchedule {
  const schedule = scheduleFromRequest(request.label, request.body, { ...arnContext(request.runtime), now: new Date(), createdAt });
  const target = machineTarget(schedule.stateMachineArn);
  // Stored by the machine itself, so scopes and listings match versions and aliases to their machine.
  if (target) schedule.stateMachineArn = target.machineArn;
  return schedule;
}

export async function createScheduleAction(request: SchedulerRequest) {
  const schedule = prepare(request);
  await checkTarget(request, schedule);
  if (schedule.groupName === DEFAULT_SCHEDULE_GROUP) {
    await ensureScheduleGroup(
      request.runtime.db,
      DEFAULT_SCHEDULE_GROUP,
      scheduleGroupArn(arnContext(request.runtime), DEFAULT_SCHEDULE_GROUP),
      new Date(),
    );
  }
  await createSchedule(request.runtime.db, schedule);
  return { ScheduleArn: schedule.arn };
}

export async function getScheduleAction(request: SchedulerRequest) {
  return scheduleView(await visibleSchedule(request, groupOf(queryValue(request.query, "groupName"), "groupName")));
}

/** UpdateSchedule replaces every setting (fields left out take their defaults), as AWS does. */
export async function updateScheduleAction(request: SchedulerRequest) {
  const existing = await visibleSchedule(request, groupOf(request.body.GroupName as string | undefined, "GroupName"));
  const schedule = prepare(request, existing.createdAt);
  await checkTarget(request, schedule);
  const { arn: _arn, groupName, name, generation: _generation, createdAt: _createdAt, ...changes } = schedule;
  const updated = await updateSchedule(request.runtime.db, groupName, name, changes);
  return { ScheduleArn: updated.arn };
}

export async function deleteScheduleAction(request: SchedulerRequest) {
  const schedule = await visibleSchedule(request, groupOf(queryValue(request.query, "groupName"), "groupName"));
  await deleteSchedule(request.runtime.db, schedule.groupName, schedule.name);
  return {};
}

export async function listSchedulesAction(request: SchedulerRequest) {
  const { query, runtime, access } = request;
  const group = queryValue(query, "ScheduleGroup");
  const namePrefix = queryValue(query, "NamePrefix");
  const state = queryValue(query, "State");
  const maxResults = queryValue(query, "MaxResults");
  if (state !== undefined && state !== "ENABLED" && state !== "DISABLED") throw validation("State: must be one of ENABLED, DISABLED");
  if (namePrefix !== undefined) checkName(namePrefix, "NamePrefix");
  const page = await listSchedules(
    runtime.db,
    {
      groupName: group === undefined ? undefined : checkName(group, "ScheduleGroup"),
      namePrefix,
      state,
      stateMachineArnPatterns: access.stateMachineArnPatterns(arnContext(runtime)),
    },
    { maxResults: maxResultsOf(maxResults), nextToken: queryValue(query, "NextToken") },
  );
  return { Schedules: page.items.map(scheduleSummary), NextToken: page.nextToken };
}

export function maxResultsOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw validation("MaxResults: must be a whole number from 1 to 100");
  return n;
}
