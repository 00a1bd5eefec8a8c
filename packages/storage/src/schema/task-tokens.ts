import { sql } from "drizzle-orm";
import { check, index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** PENDING: waiting for a callback or an activity worker; STARTED: an activity worker took it. */
export type TaskTokenStatus = "PENDING" | "STARTED" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "CANCELLED";

export const taskTokens = pgTable(
  "task_tokens",
  {
    token: text("token").primaryKey(),
    executionArn: text("execution_arn").notNull(),
    threadId: text("thread_id").notNull(),
    stateName: text("state_name").notNull(),
    /** Set for activity tasks; null for `.waitForTaskToken` callbacks. */
    activityArn: text("activity_arn"),
    /** The activity task's input (JSON text), handed to the worker by GetActivityTask. */
    input: text("input"),
    workerName: text("worker_name"),
    status: text("status").$type<TaskTokenStatus>().notNull().default("PENDING"),
    heartbeatDeadline: timestamp("heartbeat_deadline", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp("closed_at", { withTimezone: true }),
  },
  (t) => [
    check("task_tokens_status_check", sql`${t.status} in ('PENDING', 'STARTED', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'CANCELLED')`),
    index("task_tokens_activity_queue_idx").on(t.activityArn, t.createdAt).where(sql`${t.status} = 'PENDING'`),
    index("task_tokens_execution_idx").on(t.executionArn),
  ],
);
