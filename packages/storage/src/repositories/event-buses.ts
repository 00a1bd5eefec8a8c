/** EventBridge's event buses (CreateEventBus, DescribeEventBus, DeleteEventBus, ListEventBuses). */
import { and, asc, eq, gt, like } from "drizzle-orm";
import type { Executor } from "../connection.ts";
import { EventsResourceAlreadyExists, EventsResourceNotFound } from "../errors.ts";
import { decodeToken, encodeToken, type Page, type PageRequest, pageSize, toPage } from "../pagination.ts";
import { isUniqueViolation } from "../postgres-errors.ts";
import { eventBuses } from "../schema/events.ts";

export type EventBusRecord = typeof eventBuses.$inferSelect;

export const DEFAULT_EVENT_BUS = "default";

const escapeLike = (text: string) => text.replace(/[\\%_]/g, "\\$&");
export const eventBusNotFound = (name: string) => new EventsResourceNotFound(`Event bus ${name} does not exist.`);

/** The `default` bus exists without being created: made on first use. */
export async function ensureEventBus(db: Executor, name: string, arn: string, now: Date): Promise<void> {
  await db.insert(eventBuses).values({ name, arn, createdAt: now, lastModifiedAt: now }).onConflictDoNothing();
}

export async function createEventBus(db: Executor, bus: { name: string; arn: string; description?: string; now: Date }): Promise<void> {
  try {
    await db
      .insert(eventBuses)
      .values({ name: bus.name, arn: bus.arn, description: bus.description, createdAt: bus.now, lastModifiedAt: bus.now });
  } catch (error) {
    if (isUniqueViolation(error)) throw new EventsResourceAlreadyExists(`Event bus ${bus.name} already exists.`);
    throw error;
  }
}

export async function getEventBus(db: Executor, name: string): Promise<EventBusRecord> {
  const [row] = await db.select().from(eventBuses).where(eq(eventBuses.name, name));
  if (!row) throw eventBusNotFound(name);
  return row;
}

/** Deletes a bus and its rules. AWS answers success for a bus that does not exist, and so does this. */
export async function deleteEventBus(db: Executor, name: string): Promise<void> {
  await db.delete(eventBuses).where(eq(eventBuses.name, name));
}

export async function listEventBuses(db: Executor, filter: { namePrefix?: string }, page: PageRequest): Promise<Page<EventBusRecord>> {
  const size = pageSize(page);
  const after = page.nextToken === undefined ? undefined : decodeToken("event-buses", page.nextToken, ["text"])[0];
  const rows = await db
    .select()
    .from(eventBuses)
    .where(
      and(
        filter.namePrefix === undefined ? undefined : like(eventBuses.name, `${escapeLike(filter.namePrefix)}%`),
        after === undefined ? undefined : gt(eventBuses.name, after),
      ),
    )
    .orderBy(asc(eventBuses.name))
    .limit(size + 1);
  return toPage(rows, size, (last) => encodeToken("event-buses", [last.name]));
}
