/**
 * Where one runtime measurement runs: a fresh Postgres schema and a unique Redis key prefix (as the
 * runtime's own tests get), a runtime in the bench process to start executions with, and `close`, which
 * leaves nothing behind: the schema is dropped and every key under the prefix deleted.
 */
import { randomUUID } from "node:crypto";
import { createTestDatabase, deleteQueueKeys as deleteKeys, type TestDatabase } from "@stepwise/testkit";
import type { StateMachineDefinition } from "../../packages/asl/src/index.ts";
import { createRuntime, loadRuntimeConfig, type Runtime, stateMachineArn } from "../../packages/runtime/src/index.ts";
import { createStateMachine } from "../../packages/storage/src/index.ts";

export interface BenchEnvironment {
  runtime: Runtime;
  /** A pool of its own on the bench schema, for the bench's bookkeeping queries. */
  sql: TestDatabase["sql"];
  prefix: string;
  /** What a worker process needs to work on this schema and prefix. */
  workerEnv: Record<string, string>;
  /** Process ids of the Postgres backends serving the workers, or the bench's runtime (which starts executions). */
  backendPids(of: Client): Promise<number[]>;
  createMachine(definition: StateMachineDefinition, label: string): Promise<string>;
  close(): Promise<void>;
}

type Client = "workers" | "starter";

/** The connection URL with an application_name, so pg_stat_activity tells whose each backend is. */
function urlFor(url: string, prefix: string, client: Client): string {
  const named = new URL(url);
  named.searchParams.set("application_name", `${prefix}-${client}`);
  return named.toString();
}

export async function createBenchEnvironment(): Promise<BenchEnvironment> {
  const database = await createTestDatabase();
  const prefix = `stepwise-bench-${randomUUID().slice(0, 8)}`;
  try {
    const workerEnv = {
      DATABASE_URL: urlFor(database.url, prefix, "workers"),
      REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
      STEPWISE_QUEUE_PREFIX: prefix,
      LOG_LEVEL: "warn",
    };
    const config = loadRuntimeConfig({ ...process.env, ...workerEnv, DATABASE_URL: urlFor(database.url, prefix, "starter") });
    const runtime = await createRuntime(config, { name: "bench" });
    return {
      runtime,
      sql: database.sql,
      prefix,
      workerEnv,
      backendPids: async (client) => {
        const rows = await database.sql<
          { pid: number }[]
        >`select pid from pg_stat_activity where application_name = ${`${prefix}-${client}`}`;
        return rows.map((r) => r.pid);
      },
      createMachine: async (definition, label) => {
        const name = `${label}-${randomUUID().slice(0, 8)}`;
        const arn = stateMachineArn({ region: config.STEPWISE_REGION, accountId: config.STEPWISE_ACCOUNT_ID }, name);
        await createStateMachine(runtime.db, {
          arn,
          name,
          definition: JSON.stringify(definition),
          roleArn: "arn:aws:iam::123456789012:role/bench",
        });
        return arn;
      },
      close: async () => {
        try {
          await runtime.close();
        } finally {
          try {
            await deleteKeys(workerEnv.REDIS_URL, prefix);
          } finally {
            await database.drop();
          }
        }
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

export { deleteKeys };
