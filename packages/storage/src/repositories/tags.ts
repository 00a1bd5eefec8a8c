import { eq } from "drizzle-orm";
import type { Executor } from "../connection.ts";
import { ResourceNotFound } from "../errors.ts";
import { activities } from "../schema/activities.ts";
import { stateMachines } from "../schema/state-machines.ts";
import type { Tag } from "../schema/tags.ts";

// Only state machines and activities carry tags; the ARN's resource type says which.
function taggedTable(arn: string) {
  if (/^arn:[^:]+:states:[^:]*:[^:]*:stateMachine:[^:]+$/.test(arn)) return stateMachines;
  if (/^arn:[^:]+:states:[^:]*:[^:]*:activity:[^:]+$/.test(arn)) return activities;
  throw new ResourceNotFound(arn);
}

export async function listTags(db: Executor, arn: string): Promise<Tag[]> {
  const table = taggedTable(arn);
  const [row] = await db.select({ tags: table.tags }).from(table).where(eq(table.arn, arn));
  if (!row) throw new ResourceNotFound(arn);
  return row.tags;
}

/** TagResource: adds tags, replacing the value of keys already present. */
export async function tagResource(db: Executor, arn: string, tags: Tag[]): Promise<void> {
  await rewriteTags(db, arn, (current) => {
    const merged = new Map(current.map((tag) => [tag.key, tag.value]));
    for (const tag of tags) merged.set(tag.key, tag.value);
    return [...merged].map(([key, value]) => ({ key, value }));
  });
}

export async function untagResource(db: Executor, arn: string, keys: string[]): Promise<void> {
  const removed = new Set(keys);
  await rewriteTags(db, arn, (current) => current.filter((tag) => !removed.has(tag.key)));
}

async function rewriteTags(db: Executor, arn: string, change: (current: Tag[]) => Tag[]): Promise<void> {
  const table = taggedTable(arn);
  await db.transaction(async (tx) => {
    const [row] = await tx.select({ tags: table.tags }).from(table).where(eq(table.arn, arn)).for("update");
    if (!row) throw new ResourceNotFound(arn);
    await tx
      .update(table)
      .set({ tags: change(row.tags) })
      .where(eq(table.arn, arn));
  });
}
