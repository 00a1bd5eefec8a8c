/**
 * EventBridge Scheduler's schedules, and the leases scheduler processes take on their due times: a
 * process leases a due schedule (row lock, SKIP LOCKED, then `lease_until`), starts its execution, and
 * moves it to its next due time only if it is still at the due time it leased (compare and set), so two
 * processes never both advance it and a process that died leaves the due time to the next one.
 */
import { and, asc, eq, gt, inArray, isNull, like, lte, or } from "drizzle-orm";
import type { ArnPatterns } from "../arn-filter.ts";
import { arnMatches } from "../arn-filter.ts";
import type { Executor } from "../connection.ts";
import { SchedulerConflict, SchedulerResourceNotFound } from "../errors.ts";
import { decodeToken, encodeToken, type Page, type PageRequest, pageSize, toPage } from "../pagination.ts";
import { isUniqueViolation, sqlState } from "../postgres-errors.ts";
import { schedules } from "../schema/schedules.ts";

export type ScheduleRecord = typeof schedules.$inferSelect;
export type NewSchedule = Omit<ScheduleRecord, "leaseUntil" | "attempts">;
/** What UpdateSchedule replaces: everything but identity, generation and creation. */
export type ScheduleChanges = Omit<NewSchedule, "arn" | "groupName" | "name" | "generation" | "createdAt">;

const notFound = (name: string) => new SchedulerResourceNotFound(`Schedule ${name} does not exist.`);
const escapeLike = (text: string) => text.replace(/[\\%_]/g, "\\$&");
const FOREIGN_KEY_VIOLATION = "23503";

export async function createSchedule(db: Executor, schedule: NewSchedule): Promise<void> {
  try {
    await db.insert(schedules).values(schedule);
  } catch (error) {
    if (isUniqueViolation(error)) throw new SchedulerConflict(`Schedule ${schedule.name} already exists.`);
    if (sqlState(error) === FOREIGN_KEY_VIOLATION)
      throw new SchedulerResourceNotFound(`Schedule group ${schedule.groupName} does not exist.`);
    throw error;
  }
}

export async function getSchedule(db: Executor, groupName: string, name: string): Promise<ScheduleRecord> {
  const [row] = await db
    .select()
    .from(schedules)
    .where(and(eq(schedules.groupName, groupName), eq(schedules.name, name)));
  if (!row) throw notFound(name);
  return row;
}

/** Replaces a schedule's settings; its firing starts over from its new next due time. */
export async function updateSchedule(db: Executor, groupName: string, name: string, changes: ScheduleChanges): Promise<ScheduleRecord> {
  const [row] = await db
    .update(schedules)
    .set({ ...changes, leaseUntil: null, attempts: 0 })
    .where(and(eq(schedules.groupName, groupName), eq(schedules.name, name)))
    .returning();
  if (!row) throw notFound(name);
  return row;
}

export async function deleteSchedule(db: Executor, groupName: string, name: string): Promise<void> {
  const rows = await db
    .delete(schedules)
    .where(and(eq(schedules.groupName, groupName), eq(schedules.name, name)))
    .returning({ arn: schedules.arn });
  if (rows.length === 0) throw notFound(name);
}

export interface ScheduleFilter {
  groupName?: string;
  namePrefix?: string;
  state?: "ENABLED" | "DISABLED";
  /** A scoped caller sees the schedules that start machines in its scope only. */
  stateMachineArnPatterns?: ArnPatterns;
}

/** ListSchedules: by name, then group, with keyset paging. */
export async function listSchedules(db: Executor, filter: ScheduleFilter, page: PageRequest): Promise<Page<ScheduleRecord>> {
  const size = pageSize(page);
  const after = page.nextToken === undefined ? undefined : decodeToken("schedules", page.nextToken, ["text", "text"]);
  const rows = await db
    .select()
    .from(schedules)
    .where(
      and(
        filter.groupName === undefined ? undefined : eq(schedules.groupName, filter.groupName),
        filter.namePrefix === undefined ? undefined : like(schedules.name, `${escapeLike(filter.namePrefix)}%`),
        filter.state === undefined ? undefined : eq(schedules.state, filter.state),
        arnMatches(schedules.stateMachineArn, filter.stateMachineArnPatterns),
        after === undefined
          ? undefined
          : or(gt(schedules.name, after[0]), and(eq(schedules.name, after[0]), gt(schedules.groupName, after[1]))),
      ),
    )
    .orderBy(asc(schedules.name), asc(schedules.groupName))
    .limit(size + 1);
  return toPage(rows, size, (last) => encodeToken("schedules", [last.name, last.groupName]));
}

/** Enabled schedules whose due time has come and whose lease (if any) has lapsed, each leased for `leaseMs`. */
export async function leaseDueSchedules(db: Executor, now: Date, limit: number, leaseMs: number): Promise<ScheduleRecord[]> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(schedules)
      .where(
        and(
          lte(schedules.nextDueAt, now),
          eq(schedules.state, "ENABLED"),
          or(isNull(schedules.leaseUntil), lte(schedules.leaseUntil, now)),
        ),
      )
      .orderBy(asc(schedules.nextDueAt))
      .limit(limit)
      .for("update", { skipLocked: true });
    if (due.length > 0) {
      await tx
        .update(schedules)
        .set({ leaseUntil: new Date(now.getTime() + leaseMs) })
        .where(
          inArray(
            schedules.arn,
            due.map((s) => s.arn),
          ),
        );
    }
    return due;
  });
}

export interface Advance {
  /** The due time the caller leased: nothing changes if the schedule has moved on (or was updated) since. */
  from: Date;
  nextDueAt: Date | null;
  attempts?: number;
  /** Keep the lease until then (a retry's back-off); released otherwise. */
  leaseUntil?: Date;
}

/** Moves a leased schedule on; false when it had moved already. */
export async function advanceSchedule(db: Executor, arn: string, advance: Advance): Promise<boolean> {
  const rows = await db
    .update(schedules)
    .set({ nextDueAt: advance.nextDueAt, attempts: advance.attempts ?? 0, leaseUntil: advance.leaseUntil ?? null })
    .where(and(eq(schedules.arn, arn), eq(schedules.nextDueAt, advance.from)))
    .returning({ arn: schedules.arn });
  return rows.length > 0;
}

/** ActionAfterCompletion DELETE: removes a schedule that has fired its last due time, if it is still at it. */
export async function deleteCompletedSchedule(db: Executor, arn: string, lastDue: Date): Promise<boolean> {
  const rows = await db
    .delete(schedules)
    .where(and(eq(schedules.arn, arn), eq(schedules.nextDueAt, lastDue)))
    .returning({ arn: schedules.arn });
  return rows.length > 0;
}
