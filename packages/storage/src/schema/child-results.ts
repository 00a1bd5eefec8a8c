import { integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";

export type ChildResultStatus = "SUCCEEDED" | "FAILED" | "ABORTED";

/** One finished Map iteration or Parallel branch, waiting for its parent to join. */
export const childResults = pgTable(
  "child_results",
  {
    executionArn: text("execution_arn").notNull(),
    parentThreadId: text("parent_thread_id").notNull(),
    childIndex: integer("child_index").notNull(),
    status: text("status").$type<ChildResultStatus>().notNull(),
    output: text("output"),
    error: text("error"),
    cause: text("cause"),
  },
  (t) => [primaryKey({ columns: [t.executionArn, t.parentThreadId, t.childIndex] })],
);
