/** EventBridge Scheduler's schedule groups, and their tags (schedules themselves carry none on AWS). */
import { and, asc, eq, gt, like } from "drizzle-orm";
import type { Executor } from "../connection.ts";
import { SchedulerConflict, SchedulerResourceNotFound } from "../errors.ts";
import { decodeToken, encodeToken, type Page, type PageRequest, pageSize, toPage } from "../pagination.ts";
import { isUniqueViolation } from "../postgres-errors.ts";
import { scheduleGroups } from "../schema/schedules.ts";
import type { Tag } from "../schema/tags.ts";

export type ScheduleGroupRecord = typeof scheduleGroups.$inferSelect;

export const DEFAULT_SCHEDULE_GROUP = "default";

const notFound = (name: string) => new SchedulerResourceNotFound(`Schedule group ${name} does not exist.`);
const escapeLike = (text: string) => text.replace(/[\\%_]/g, "\\$&");

/** The `default` group exists without being created: made on first use. */
export async function ensureScheduleGroup(db: Executor, name: string, arn: string, now: Date): Promise<void> {
  await db.insert(scheduleGroups).values({ name, arn, createdAt: now, lastModifiedAt: now }).onConflictDoNothing();
}

export async function createScheduleGroup(db: Executor, group: { name: string; arn: string; tags: Tag[]; now: Date }): Promise<void> {
  try {
    await db
      .insert(scheduleGroups)
      .values({ name: group.name, arn: group.arn, tags: group.tags, createdAt: group.now, lastModifiedAt: group.now });
  } catch (error) {
    if (isUniqueViolation(error)) throw new SchedulerConflict(`Schedule group ${group.name} already exists.`);
    throw error;
  }
}

export async function getScheduleGroup(db: Executor, name: string): Promise<ScheduleGroupRecord> {
  const [row] = await db.select().from(scheduleGroups).where(eq(scheduleGroups.name, name));
  if (!row) throw notFound(name);
  return row;
}

/** Deletes the group and, with it, its schedules (AWS does the same, asynchronously). */
export async function deleteScheduleGroup(db: Executor, name: string): Promise<void> {
  const rows = await db.delete(scheduleGroups).where(eq(scheduleGroups.name, name)).returning({ name: scheduleGroups.name });
  if (rows.length === 0) throw notFound(name);
}

export async function listScheduleGroups(
  db: Executor,
  filter: { namePrefix?: string },
  page: PageRequest,
): Promise<Page<ScheduleGroupRecord>> {
  const size = pageSize(page);
  const after = page.nextToken === undefined ? undefined : decodeToken("schedule-groups", page.nextToken, ["text"])[0];
  const rows = await db
    .select()
    .from(scheduleGroups)
    .where(
      and(
        filter.namePrefix === undefined ? undefined : like(scheduleGroups.name, `${escapeLike(filter.namePrefix)}%`),
        after === undefined ? undefined : gt(scheduleGroups.name, after),
      ),
    )
    .orderBy(asc(scheduleGroups.name))
    .limit(size + 1);
  return toPage(rows, size, (last) => encodeToken("schedule-groups", [last.name]));
}

export async function scheduleGroupByArn(db: Executor, arn: string): Promise<ScheduleGroupRecord> {
  const [row] = await db.select().from(scheduleGroups).where(eq(scheduleGroups.arn, arn));
  if (!row) throw new SchedulerResourceNotFound(`Resource ${arn} does not exist.`);
  return row;
}

/** TagResource / UntagResource on a group: the change is applied to its tags under a row lock. */
export async function retagScheduleGroup(db: Executor, arn: string, change: (current: Tag[]) => Tag[], now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx.select({ tags: scheduleGroups.tags }).from(scheduleGroups).where(eq(scheduleGroups.arn, arn)).for("update");
    if (!row) throw new SchedulerResourceNotFound(`Resource ${arn} does not exist.`);
    await tx
      .update(scheduleGroups)
      .set({ tags: change(row.tags), lastModifiedAt: now })
      .where(eq(scheduleGroups.arn, arn));
  });
}
