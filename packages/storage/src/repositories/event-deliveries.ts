/**
 * Deliveries of accepted events to their targets. PutEvents writes them in its transaction; a delivering
 * process leases the due ones (row locks, SKIP LOCKED, then `next_attempt_at` pushed past the lease),
 * starts each one's execution and deletes it. One that dies leaves its deliveries to the next process once
 * the lease lapses; the execution's name makes a second start the same execution.
 */
import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import type { Executor } from "../connection.ts";
import { eventDeliveries } from "../schema/events.ts";

export type EventDeliveryRecord = typeof eventDeliveries.$inferSelect;
export type NewEventDelivery = Omit<EventDeliveryRecord, "attempts">;
export type DeliveryKey = Pick<EventDeliveryRecord, "eventId" | "ruleArn" | "targetId">;

export async function insertDeliveries(db: Executor, deliveries: readonly NewEventDelivery[]): Promise<void> {
  if (deliveries.length > 0) await db.insert(eventDeliveries).values([...deliveries]);
}

/** Due deliveries, each leased until `now + leaseMs`. */
export async function leaseDueDeliveries(db: Executor, now: Date, limit: number, leaseMs: number): Promise<EventDeliveryRecord[]> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(eventDeliveries)
      .where(lte(eventDeliveries.nextAttemptAt, now))
      .orderBy(asc(eventDeliveries.nextAttemptAt))
      .limit(limit)
      .for("update", { skipLocked: true });
    if (due.length > 0) {
      await tx
        .update(eventDeliveries)
        .set({ nextAttemptAt: new Date(now.getTime() + leaseMs) })
        .where(
          sql`(${eventDeliveries.eventId}, ${eventDeliveries.ruleArn}, ${eventDeliveries.targetId}) in (${sql.join(
            due.map((d) => sql`(${d.eventId}, ${d.ruleArn}, ${d.targetId})`),
            sql`, `,
          )})`,
        );
    }
    return due;
  });
}

const keyIs = (key: DeliveryKey) =>
  and(eq(eventDeliveries.eventId, key.eventId), eq(eventDeliveries.ruleArn, key.ruleArn), eq(eventDeliveries.targetId, key.targetId));

/** Its execution started (or can never be): the delivery is done. */
export async function completeDelivery(db: Executor, key: DeliveryKey): Promise<void> {
  await db.delete(eventDeliveries).where(keyIs(key));
}

/** A start that failed for a passing reason: tried again at `nextAttemptAt`. */
export async function retryDelivery(db: Executor, key: DeliveryKey, attempts: number, nextAttemptAt: Date): Promise<void> {
  await db.update(eventDeliveries).set({ attempts, nextAttemptAt }).where(keyIs(key));
}

/** How many deliveries wait (for tests and the console). */
export async function pendingDeliveries(db: Executor, eventIds?: readonly string[]): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(eventDeliveries)
    .where(eventIds === undefined ? undefined : inArray(eventDeliveries.eventId, [...eventIds]));
  return row?.n ?? 0;
}
