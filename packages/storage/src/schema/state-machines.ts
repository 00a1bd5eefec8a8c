import type { JsonObject } from "@stepwise/asl";
import { sql } from "drizzle-orm";
import { check, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import type { Tag } from "./tags.ts";

export type StateMachineType = "STANDARD" | "EXPRESS";
export type StateMachineStatus = "ACTIVE" | "DELETING";

export const stateMachines = pgTable(
  "state_machines",
  {
    arn: text("arn").primaryKey(),
    name: text("name").notNull().unique(),
    definition: text("definition").notNull(),
    type: text("type").$type<StateMachineType>().notNull().default("STANDARD"),
    roleArn: text("role_arn").notNull(),
    description: text("description"),
    revisionId: text("revision_id").notNull(),
    loggingConfiguration: jsonb("logging_configuration").$type<JsonObject>(),
    tracingConfiguration: jsonb("tracing_configuration").$type<JsonObject>(),
    status: text("status").$type<StateMachineStatus>().notNull().default("ACTIVE"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    tags: jsonb("tags").$type<Tag[]>().notNull().default([]),
    /** The number of its latest published version: numbers are never reused, even once a version is deleted. */
    lastVersion: integer("last_version").notNull().default(0),
  },
  (t) => [
    check("state_machines_type_check", sql`${t.type} in ('STANDARD', 'EXPRESS')`),
    check("state_machines_status_check", sql`${t.status} in ('ACTIVE', 'DELETING')`),
  ],
);
