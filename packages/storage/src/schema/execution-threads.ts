import type { Json } from "@stepwise/asl";
import { integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/** What a thread is doing; the runtime owns the meaning, the store only keeps it. */
export type ThreadStatus = "RUNNING" | "WAITING" | "SUCCEEDED" | "FAILED" | "ABORTED";

export const executionThreads = pgTable(
  "execution_threads",
  {
    executionArn: text("execution_arn").notNull(),
    /** "" for the root thread, a path such as "Map/3" for Map iterations and Parallel branches. */
    threadId: text("thread_id").notNull(),
    /** The interpreter's serialisable position: opaque to the store. */
    position: jsonb("position").$type<Json>().notNull(),
    status: text("status").$type<ThreadStatus>().notNull(),
    version: integer("version").notNull().default(0),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.executionArn, t.threadId] })],
);
