/** What `npm run db:migrate` reads. */
import { z } from "zod";

export const migrateEnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .url()
    .describe("The Postgres to migrate (required); `?search_path=` selects a schema. Concurrent runs are safe."),
});
