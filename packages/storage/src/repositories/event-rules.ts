/**
 * EventBridge's rules and their targets. PutRule creates or replaces a rule's settings (its targets stay);
 * PutTargets and RemoveTargets change the targets under the rule's row lock.
 */
import { and, asc, eq, gt, like } from "drizzle-orm";
import type { Executor } from "../connection.ts";
import { EventsResourceNotFound } from "../errors.ts";
import { decodeToken, encodeToken, type Page, type PageRequest, pageSize, toPage } from "../pagination.ts";
import { sqlState } from "../postgres-errors.ts";
import { type EventTarget, eventRules } from "../schema/events.ts";
import { eventBusNotFound } from "./event-buses.ts";

export type EventRuleRecord = typeof eventRules.$inferSelect;
export type RuleSettings = Pick<EventRuleRecord, "arn" | "busName" | "name" | "eventPattern" | "state" | "description" | "roleArn">;

const escapeLike = (text: string) => text.replace(/[\\%_]/g, "\\$&");
const FOREIGN_KEY_VIOLATION = "23503";
export const ruleNotFound = (name: string, busName: string) =>
  new EventsResourceNotFound(`Rule ${name} does not exist on EventBus ${busName}.`);

/** PutRule: creates the rule, or replaces the settings of the one of that name (its targets stay). */
export async function putRule(db: Executor, rule: RuleSettings, now: Date): Promise<void> {
  const { arn: _arn, busName: _busName, name: _name, ...settings } = rule;
  try {
    await db
      .insert(eventRules)
      .values({ ...rule, createdAt: now })
      .onConflictDoUpdate({ target: [eventRules.busName, eventRules.name], set: settings });
  } catch (error) {
    if (sqlState(error) === FOREIGN_KEY_VIOLATION) throw eventBusNotFound(rule.busName);
    throw error;
  }
}

export async function getRule(db: Executor, busName: string, name: string): Promise<EventRuleRecord> {
  const [row] = await db
    .select()
    .from(eventRules)
    .where(and(eq(eventRules.busName, busName), eq(eventRules.name, name)));
  if (!row) throw ruleNotFound(name, busName);
  return row;
}

/** DeleteRule: AWS answers success for a rule that does not exist. */
export async function deleteRule(db: Executor, busName: string, name: string): Promise<void> {
  await db.delete(eventRules).where(and(eq(eventRules.busName, busName), eq(eventRules.name, name)));
}

export async function setRuleState(db: Executor, busName: string, name: string, state: "ENABLED" | "DISABLED"): Promise<void> {
  const rows = await db
    .update(eventRules)
    .set({ state })
    .where(and(eq(eventRules.busName, busName), eq(eventRules.name, name)))
    .returning({ arn: eventRules.arn });
  if (rows.length === 0) throw ruleNotFound(name, busName);
}

/** PutTargets / RemoveTargets: the change sees the rule's current targets under a row lock. */
export async function changeTargets(
  db: Executor,
  busName: string,
  name: string,
  change: (current: EventTarget[], rule: EventRuleRecord) => EventTarget[],
): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(eventRules)
      .where(and(eq(eventRules.busName, busName), eq(eventRules.name, name)))
      .for("update");
    if (!row) throw ruleNotFound(name, busName);
    await tx
      .update(eventRules)
      .set({ targets: change(row.targets, row) })
      .where(eq(eventRules.arn, row.arn));
  });
}

export async function listRules(
  db: Executor,
  filter: { busName: string; namePrefix?: string },
  page: PageRequest,
): Promise<Page<EventRuleRecord>> {
  const size = pageSize(page);
  const after = page.nextToken === undefined ? undefined : decodeToken("event-rules", page.nextToken, ["text"])[0];
  const rows = await db
    .select()
    .from(eventRules)
    .where(
      and(
        eq(eventRules.busName, filter.busName),
        filter.namePrefix === undefined ? undefined : like(eventRules.name, `${escapeLike(filter.namePrefix)}%`),
        after === undefined ? undefined : gt(eventRules.name, after),
      ),
    )
    .orderBy(asc(eventRules.name))
    .limit(size + 1);
  return toPage(rows, size, (last) => encodeToken("event-rules", [last.name]));
}

/** The enabled rules of a bus, which PutEvents matches each entry against. */
export async function enabledRules(db: Executor, busName: string): Promise<EventRuleRecord[]> {
  return db
    .select()
    .from(eventRules)
    .where(and(eq(eventRules.busName, busName), eq(eventRules.state, "ENABLED")));
}
