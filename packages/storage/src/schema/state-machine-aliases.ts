import { index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { stateMachines } from "./state-machines.ts";

/** One version an alias starts executions of, and the percentage of starts it gets (a type, so it is Json). */
export type RoutingEntry = { stateMachineVersionArn: string; weight: number };

/** CreateStateMachineAlias's names for one or two versions of a machine: `<machineArn>:<aliasName>`. */
export const stateMachineAliases = pgTable(
  "state_machine_aliases",
  {
    arn: text("arn").primaryKey(),
    stateMachineArn: text("state_machine_arn")
      .notNull()
      .references(() => stateMachines.arn, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description"),
    routingConfiguration: jsonb("routing_configuration").$type<RoutingEntry[]>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull(),
  },
  // ListStateMachineAliases: newest first, arn breaking ties for keyset paging.
  (t) => [index("state_machine_aliases_list_idx").on(t.stateMachineArn, t.createdAt.desc(), t.arn.desc())],
);
