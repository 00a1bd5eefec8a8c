import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique } from "drizzle-orm/pg-core";

/** A rule's target, as PutTargets received it (a state machine ARN with Input, InputPath or InputTransformer). */
export type EventTarget = {
  Id: string;
  Arn: string;
  RoleArn?: string;
  Input?: string;
  InputPath?: string;
  InputTransformer?: { InputPathsMap?: Record<string, string>; InputTemplate: string };
  RetryPolicy?: { MaximumEventAgeInSeconds?: number; MaximumRetryAttempts?: number };
  DeadLetterConfig?: { Arn?: string };
};

/** CreateEventBus; `default` exists without being created. */
export const eventBuses = pgTable("event_buses", {
  name: text("name").primaryKey(),
  arn: text("arn").notNull().unique(),
  description: text("description"),
  createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull(),
  lastModifiedAt: timestamp("last_modified_at", { withTimezone: true, precision: 3 }).notNull(),
});

/** PutRule, with its targets (PutTargets; AWS allows five per rule, so they live in the rule's row). */
export const eventRules = pgTable(
  "event_rules",
  {
    arn: text("arn").primaryKey(),
    busName: text("bus_name")
      .notNull()
      .references(() => eventBuses.name, { onDelete: "cascade" }),
    name: text("name").notNull(),
    eventPattern: text("event_pattern").notNull(),
    state: text("state").$type<"ENABLED" | "DISABLED">().notNull(),
    description: text("description"),
    roleArn: text("role_arn"),
    targets: jsonb("targets").$type<EventTarget[]>().notNull().default([]),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [
    unique("event_rules_bus_name_unique").on(t.busName, t.name),
    check("event_rules_state_check", sql`${t.state} in ('ENABLED', 'DISABLED')`),
  ],
);

/**
 * One accepted event's delivery to one target of one matching rule, written in PutEvents' transaction
 * (so an accepted event is never lost) and deleted once its execution is started. `next_attempt_at` is
 * also the lease of the process delivering it.
 */
export const eventDeliveries = pgTable(
  "event_deliveries",
  {
    eventId: text("event_id").notNull(),
    ruleArn: text("rule_arn").notNull(),
    targetId: text("target_id").notNull(),
    /** Named for the event, rule and target: StartExecution's idempotency makes retries one execution. */
    executionName: text("execution_name").notNull(),
    stateMachineArn: text("state_machine_arn").notNull(),
    input: text("input").notNull(),
    ingestedAt: timestamp("ingested_at", { withTimezone: true, precision: 3 }).notNull(),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true, precision: 3 }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    maximumEventAgeSeconds: integer("maximum_event_age_seconds").notNull(),
    maximumRetryAttempts: integer("maximum_retry_attempts").notNull(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.ruleArn, t.targetId] }), index("event_deliveries_due_idx").on(t.nextAttemptAt)],
);
