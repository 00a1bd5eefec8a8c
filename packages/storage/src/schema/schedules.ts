import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, timestamp, unique } from "drizzle-orm/pg-core";
import type { Tag } from "./tags.ts";

/** EventBridge Scheduler's Target, as the API received it (Arn, RoleArn, Input, RetryPolicy…). */
export type ScheduleTarget = {
  Arn: string;
  RoleArn: string;
  Input?: string;
  RetryPolicy?: { MaximumEventAgeInSeconds?: number; MaximumRetryAttempts?: number };
  DeadLetterConfig?: { Arn?: string };
};

export type FlexibleTimeWindow = { Mode: "OFF" | "FLEXIBLE"; MaximumWindowInMinutes?: number };

/** CreateScheduleGroup; every schedule belongs to one (`default` exists without being created). */
export const scheduleGroups = pgTable("schedule_groups", {
  name: text("name").primaryKey(),
  arn: text("arn").notNull().unique(),
  tags: jsonb("tags").$type<Tag[]>().notNull().default([]),
  createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull(),
  lastModifiedAt: timestamp("last_modified_at", { withTimezone: true, precision: 3 }).notNull(),
});

/**
 * CreateSchedule, and what firing it needs: the next due time, the lease a scheduler process holds on it
 * while it starts that due time's execution, and the attempts made at it.
 */
export const schedules = pgTable(
  "schedules",
  {
    arn: text("arn").primaryKey(),
    groupName: text("group_name")
      .notNull()
      .references(() => scheduleGroups.name, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description"),
    state: text("state").$type<"ENABLED" | "DISABLED">().notNull(),
    expression: text("expression").notNull(),
    timezone: text("timezone"),
    startDate: timestamp("start_date", { withTimezone: true, precision: 3 }),
    endDate: timestamp("end_date", { withTimezone: true, precision: 3 }),
    flexibleTimeWindow: jsonb("flexible_time_window").$type<FlexibleTimeWindow>().notNull(),
    target: jsonb("target").$type<ScheduleTarget>().notNull(),
    /** The state machine the target starts (from Arn, or the templated target's Input), for scopes. */
    stateMachineArn: text("state_machine_arn").notNull(),
    actionAfterCompletion: text("action_after_completion").$type<"NONE" | "DELETE">().notNull(),
    kmsKeyArn: text("kms_key_arn"),
    /** Random per creation: execution names of a schedule deleted and created again never collide. */
    generation: text("generation").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull(),
    lastModifiedAt: timestamp("last_modified_at", { withTimezone: true, precision: 3 }).notNull(),
    /** The next due time not yet fired; null when none remains (or the schedule is disabled). */
    nextDueAt: timestamp("next_due_at", { withTimezone: true, precision: 3 }),
    /** When that due time's firing may be taken over (whoever took it died). */
    leaseUntil: timestamp("lease_until", { withTimezone: true, precision: 3 }),
    attempts: integer("attempts").notNull().default(0),
  },
  (t) => [
    unique("schedules_group_name_unique").on(t.groupName, t.name),
    check("schedules_state_check", sql`${t.state} in ('ENABLED', 'DISABLED')`),
    index("schedules_due_idx").on(t.nextDueAt).where(sql`${t.nextDueAt} is not null`),
  ],
);
