import { sql } from "drizzle-orm";
import type { Runtime } from "../runtime.ts";

export interface Readiness {
  ready: boolean;
  postgres: string;
  redis: string;
}

/** Ready means both stores answer; a process that cannot reach them should get no traffic. */
export async function checkReadiness(runtime: Pick<Runtime, "db" | "signals">): Promise<Readiness> {
  const [postgres, redis] = (await Promise.allSettled([runtime.db.execute(sql`select 1`), runtime.signals.ping()])).map((c) =>
    c.status === "fulfilled" ? "ok" : String(c.reason),
  );
  return { ready: postgres === "ok" && redis === "ok", postgres: postgres as string, redis: redis as string };
}
