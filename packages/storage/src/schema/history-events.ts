import type { HistoryEventDetails, HistoryEventType } from "@stepwise/asl";
import { integer, json, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

// Append-only; the primary key is what makes each event id exactly-once per execution.
export const historyEvents = pgTable(
  "history_events",
  {
    executionArn: text("execution_arn").notNull(),
    id: integer("id").notNull(),
    previousEventId: integer("previous_event_id").notNull(),
    type: text("type").$type<HistoryEventType>().notNull(),
    timestamp: timestamp("timestamp", { withTimezone: true }).notNull(),
    /**
     * The event's `*EventDetails` members, keyed as in AWS. json, not jsonb: nothing queries inside them,
     * and converting each event to jsonb was about a quarter of what writing it cost Postgres.
     */
    details: json("details").$type<HistoryEventDetails>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.executionArn, t.id] })],
);
