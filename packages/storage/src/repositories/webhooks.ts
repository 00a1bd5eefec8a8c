/** Webhooks (created, read, listed and deleted through the REST API) and their deliveries' first write. */
import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { Executor } from "../connection.ts";
import { WebhookAlreadyExists, WebhookNotFound } from "../errors.ts";
import { decodeToken, encodeToken, type Page, type PageRequest, pageSize, toPage } from "../pagination.ts";
import { isUniqueViolation } from "../postgres-errors.ts";
import { eventDeliveries } from "../schema/events.ts";
import { webhooks } from "../schema/webhooks.ts";
import type { NewEventDelivery } from "./event-deliveries.ts";

export type WebhookRecord = typeof webhooks.$inferSelect;

export async function createWebhook(db: Executor, webhook: WebhookRecord): Promise<void> {
  try {
    await db.insert(webhooks).values(webhook);
  } catch (error) {
    if (isUniqueViolation(error)) throw new WebhookAlreadyExists(`Webhook ${webhook.name} already exists.`);
    throw error;
  }
}

export async function getWebhook(db: Executor, name: string): Promise<WebhookRecord> {
  const [row] = await db.select().from(webhooks).where(eq(webhooks.name, name));
  if (!row) throw new WebhookNotFound(`Webhook ${name} does not exist.`);
  return row;
}

/** Deletes a webhook; deliveries it accepted already still start their executions. */
export async function deleteWebhook(db: Executor, name: string): Promise<void> {
  const deleted = await db.delete(webhooks).where(eq(webhooks.name, name)).returning({ name: webhooks.name });
  if (deleted.length === 0) throw new WebhookNotFound(`Webhook ${name} does not exist.`);
}

/** By name, optionally only those of one target. */
export async function listWebhooks(db: Executor, filter: { stateMachineArn?: string }, page: PageRequest): Promise<Page<WebhookRecord>> {
  const size = pageSize(page);
  const after = page.nextToken ? decodeToken("webhooks", page.nextToken, ["text"] as const)[0] : undefined;
  const rows = await db
    .select()
    .from(webhooks)
    .where(
      and(
        filter.stateMachineArn === undefined ? undefined : eq(webhooks.stateMachineArn, filter.stateMachineArn),
        after === undefined ? undefined : gt(webhooks.name, after),
      ),
    )
    .orderBy(asc(webhooks.name))
    .limit(size + 1);
  return toPage(rows, size, (last) => encodeToken("webhooks", [last.name]));
}

/**
 * Writes a webhook delivery unless one with its key is still waiting: true when written. A repeated
 * delivery (a sender's retry) finds the first one there, or, once it started, the same execution.
 */
export async function insertDeliveryOnce(db: Executor, delivery: NewEventDelivery): Promise<boolean> {
  const written = await db.insert(eventDeliveries).values(delivery).onConflictDoNothing().returning({ one: sql<number>`1` });
  return written.length > 0;
}
