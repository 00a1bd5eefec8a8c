import { bigserial, index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** Executions admitted but not started yet because their state machine is at its concurrency limit. */
export const pendingExecutions = pgTable(
  "pending_executions",
  {
    executionArn: text("execution_arn").primaryKey(),
    stateMachineArn: text("state_machine_arn").notNull(),
    enqueuedAt: timestamp("enqueued_at", { withTimezone: true }).notNull().defaultNow(),
    /** FIFO order: enqueue order, unlike enqueued_at which two processes can tie or skew. */
    seq: bigserial("seq", { mode: "number" }).notNull().unique(),
  },
  (t) => [index("pending_executions_queue_idx").on(t.stateMachineArn, t.seq)],
);
