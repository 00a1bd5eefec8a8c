import { and, asc, eq, gt, or } from "drizzle-orm";
import { type ArnPatterns, arnMatches } from "../arn-filter.ts";
import type { Executor } from "../connection.ts";
import { ActivityDoesNotExist } from "../errors.ts";
import { decodeToken, encodeToken, type Page, type PageRequest, pageSize, toPage } from "../pagination.ts";
import { activities } from "../schema/activities.ts";
import type { Tag } from "../schema/tags.ts";

export type ActivityRecord = typeof activities.$inferSelect;

export interface NewActivity {
  arn: string;
  name: string;
  tags?: Tag[];
  now?: Date;
}

/** CreateActivity is idempotent on the name: an existing activity is returned as it is, tags untouched. */
export async function createActivity(db: Executor, input: NewActivity): Promise<{ activity: ActivityRecord; created: boolean }> {
  const [inserted] = await db
    .insert(activities)
    .values({ arn: input.arn, name: input.name, tags: input.tags ?? [], createdAt: input.now ?? new Date() })
    .onConflictDoNothing()
    .returning();
  if (inserted) return { activity: inserted, created: true };
  const [existing] = await db
    .select()
    .from(activities)
    .where(or(eq(activities.name, input.name), eq(activities.arn, input.arn)));
  // The conflicting row can only vanish in between through a concurrent DeleteActivity.
  if (!existing) throw new ActivityDoesNotExist(input.arn);
  return { activity: existing, created: false };
}

export async function getActivity(db: Executor, arn: string): Promise<ActivityRecord> {
  const [row] = await db.select().from(activities).where(eq(activities.arn, arn));
  if (!row) throw new ActivityDoesNotExist(arn);
  return row;
}

const LIST_SCOPE = "activities";

export interface ActivityListRequest extends PageRequest {
  /** Only activities whose ARN matches. */
  arnLike?: ArnPatterns;
}

export async function listActivities(db: Executor, request: ActivityListRequest = {}): Promise<Page<ActivityRecord>> {
  const size = pageSize(request);
  const after = request.nextToken === undefined ? undefined : decodeToken(LIST_SCOPE, request.nextToken, ["text"])[0];
  const rows = await db
    .select()
    .from(activities)
    .where(and(after === undefined ? undefined : gt(activities.name, after), arnMatches(activities.arn, request.arnLike)))
    .orderBy(asc(activities.name))
    .limit(size + 1);
  return toPage(rows, size, (last) => encodeToken(LIST_SCOPE, [last.name]));
}

/** DeleteActivity; returns whether it existed. */
export async function deleteActivity(db: Executor, arn: string): Promise<boolean> {
  const rows = await db.delete(activities).where(eq(activities.arn, arn)).returning({ arn: activities.arn });
  return rows.length > 0;
}
