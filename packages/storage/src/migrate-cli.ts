import { migrate } from "./migrate.ts";
import { migrateEnvSchema } from "./migrate-env.ts";

const url = migrateEnvSchema.safeParse(process.env).data?.DATABASE_URL;
if (!url) {
  process.stderr.write("DATABASE_URL is not set, or not a URL (e.g. postgres://postgres@127.0.0.1:5432/stepwise)\n");
  process.exit(1);
}
try {
  await migrate(url);
  process.stdout.write("migrations applied\n");
} catch (error) {
  process.stderr.write(`migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
