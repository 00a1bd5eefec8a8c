/**
 * PutEvents: each valid entry is matched against the enabled rules of its bus, and one delivery per
 * matching rule's target is written, with the execution's name and input, in one transaction with the
 * others: once PutEvents answers, an accepted event is in Postgres and will start its executions even if
 * this process dies. The deliveries are leased to this process so it can start them at once
 * (`deliverNow`); another process takes them over if it does not.
 */
import type { Runtime } from "@stepwise/runtime";
import { type EventRuleRecord, enabledRules, getEventBus, insertDeliveries, type NewEventDelivery } from "@stepwise/storage";
import { checkEntry, type DeliveredEvent } from "./event-entries.ts";
import { deliveryExecutionName, type EventsArnContext } from "./event-names.ts";
import { compilePattern } from "./pattern/compile-pattern.ts";
import { matchesPattern } from "./pattern/match-pattern.ts";
import type { ObjectPattern } from "./pattern/pattern-types.ts";
import { DEFAULT_EVENT_MAXIMUM_AGE_SECONDS, DEFAULT_EVENT_RETRY_ATTEMPTS } from "./retry-policy.ts";
import { targetInput } from "./target-input.ts";

export type PutEventsResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

export interface PutEventsOutcome {
  entries: PutEventsResultEntry[];
  deliveries: NewEventDelivery[];
  /** For the metrics: the bus of each accepted entry, and each (event, rule) pair that matched. */
  accepted: string[];
  matched: Array<{ busName: string; ruleName: string }>;
}

/** How long the accepting process holds the deliveries it will start itself. */
export const ACCEPT_LEASE_MS = 30_000;

export async function putEvents(runtime: Runtime, entries: ReadonlyArray<Record<string, unknown>>, now: Date): Promise<PutEventsOutcome> {
  const context: EventsArnContext = { region: runtime.config.STEPWISE_REGION, accountId: runtime.config.STEPWISE_ACCOUNT_ID };
  const rulesByBus = new Map<string, Array<{ rule: EventRuleRecord; pattern: ObjectPattern }> | null>();
  const results: PutEventsResultEntry[] = [];
  const deliveries: NewEventDelivery[] = [];
  const matched: PutEventsOutcome["matched"] = [];
  const accepted: string[] = [];
  for (const entry of entries) {
    const checked = checkEntry(entry, context, now);
    if (!checked.ok) {
      results.push({ ErrorCode: checked.ErrorCode, ErrorMessage: checked.ErrorMessage });
      continue;
    }
    if (!rulesByBus.has(checked.busName)) rulesByBus.set(checked.busName, await busRules(runtime, checked.busName));
    const rules = rulesByBus.get(checked.busName);
    if (!rules) {
      results.push({ ErrorCode: "ResourceNotFoundException", ErrorMessage: `Event bus ${checked.busName} does not exist.` });
      continue;
    }
    results.push({ EventId: checked.event.id });
    accepted.push(checked.busName);
    for (const { rule, pattern } of rules) {
      if (!matchesPattern(pattern, checked.event)) continue;
      matched.push({ busName: checked.busName, ruleName: rule.name });
      for (const target of rule.targets) deliveries.push(delivery(rule, target, checked.event, now));
    }
  }
  await insertDeliveries(runtime.db, deliveries);
  return { entries: results, deliveries, accepted, matched };
}

/** The bus's enabled rules with their patterns compiled; null when the bus does not exist. */
async function busRules(runtime: Runtime, busName: string) {
  if (busName !== "default") {
    try {
      await getEventBus(runtime.db, busName);
    } catch {
      return null;
    }
  }
  return (await enabledRules(runtime.db, busName)).map((rule) => ({ rule, pattern: compilePattern(rule.eventPattern) }));
}

function delivery(rule: EventRuleRecord, target: EventRuleRecord["targets"][number], event: DeliveredEvent, now: Date): NewEventDelivery {
  const eventJson = JSON.stringify(event);
  return {
    eventId: event.id,
    ruleArn: rule.arn,
    targetId: target.Id,
    executionName: deliveryExecutionName(event.id, rule.arn, target.Id),
    stateMachineArn: target.Arn,
    input: targetInput(target, {
      ruleArn: rule.arn,
      ruleName: rule.name,
      event: event as unknown as Record<string, unknown>,
      eventJson,
      ingestionTime: now.toISOString(),
    }),
    ingestedAt: now,
    nextAttemptAt: new Date(now.getTime() + ACCEPT_LEASE_MS),
    maximumEventAgeSeconds: target.RetryPolicy?.MaximumEventAgeInSeconds ?? DEFAULT_EVENT_MAXIMUM_AGE_SECONDS,
    maximumRetryAttempts: target.RetryPolicy?.MaximumRetryAttempts ?? DEFAULT_EVENT_RETRY_ATTEMPTS,
  };
}
