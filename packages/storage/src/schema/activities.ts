import { jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import type { Tag } from "./tags.ts";

export const activities = pgTable("activities", {
  arn: text("arn").primaryKey(),
  name: text("name").notNull().unique(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  tags: jsonb("tags").$type<Tag[]>().notNull().default([]),
});
