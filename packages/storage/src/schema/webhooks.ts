import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * A webhook: `POST /v1/webhooks/{name}` starts its state machine with the request's body, when the
 * request is signed with its secret (HMAC-SHA256). The secret is kept as given — the server needs it to
 * verify signatures — and never listed or logged. Accepted deliveries wait in `event_deliveries`, like
 * accepted events, until their execution has started.
 */
export const webhooks = pgTable(
  "webhooks",
  {
    name: text("name").primaryKey(),
    arn: text("arn").notNull().unique(),
    /** A state machine, version or alias ARN. */
    stateMachineArn: text("state_machine_arn").notNull(),
    secret: text("secret").notNull(),
    description: text("description"),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [index("webhooks_state_machine_idx").on(t.stateMachineArn)],
);
