import { defineConfig } from "drizzle-kit";

// `npx drizzle-kit generate --config packages/storage/drizzle.config.ts` after a schema change.
export default defineConfig({
  dialect: "postgresql",
  schema: "./packages/storage/src/schema/*.ts",
  out: "./packages/storage/drizzle",
  migrations: { schema: "public", table: "__drizzle_migrations" },
});
