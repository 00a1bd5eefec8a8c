import type { Json } from "@stepwise/asl";
import { sql } from "drizzle-orm";
import { boolean, check, index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

export type TimerKind = "wait" | "retry" | "task_timeout" | "heartbeat_timeout" | "execution_timeout";

export const timers = pgTable(
  "timers",
  {
    id: text("id").primaryKey(),
    executionArn: text("execution_arn").notNull(),
    threadId: text("thread_id").notNull(),
    kind: text("kind").$type<TimerKind>().notNull(),
    fireAt: timestamp("fire_at", { withTimezone: true }).notNull(),
    /** Whatever the scheduler needs to act on the timer (e.g. the task token a timeout is for). */
    payload: jsonb("payload").$type<Json>(),
    fired: boolean("fired").notNull().default(false),
    firedAt: timestamp("fired_at", { withTimezone: true }),
  },
  (t) => [
    check("timers_kind_check", sql`${t.kind} in ('wait', 'retry', 'task_timeout', 'heartbeat_timeout', 'execution_timeout')`),
    index("timers_due_idx").on(t.fireAt).where(sql`not ${t.fired}`),
    index("timers_execution_idx").on(t.executionArn),
  ],
);
