import type { JsonObject } from "@stepwise/asl";
import { integer, jsonb, pgTable, text, timestamp, unique } from "drizzle-orm/pg-core";
import { stateMachines } from "./state-machines.ts";

/** PublishStateMachineVersion's immutable snapshots of a machine: `<machineArn>:<version>`. */
export const stateMachineVersions = pgTable(
  "state_machine_versions",
  {
    arn: text("arn").primaryKey(),
    stateMachineArn: text("state_machine_arn")
      .notNull()
      .references(() => stateMachines.arn, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    definition: text("definition").notNull(),
    roleArn: text("role_arn").notNull(),
    /** The version's own description (PublishStateMachineVersion's), not the machine's. */
    description: text("description"),
    revisionId: text("revision_id").notNull(),
    loggingConfiguration: jsonb("logging_configuration").$type<JsonObject>(),
    tracingConfiguration: jsonb("tracing_configuration").$type<JsonObject>(),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [unique("state_machine_versions_number_unique").on(t.stateMachineArn, t.version)],
);
