/**
 * Workers as their own OS processes, for tests that kill or scale them (testing/worker-process.ts runs
 * inside each), and the Task chains those tests run.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { StateMachineDefinition } from "@stepwise/asl";
import type { RuntimeConfig } from "@stepwise/runtime";

const workerScript = fileURLToPath(new URL("./worker-process.ts", import.meta.url));

/** Starts a worker process on the test's database and queues; resolves once it is ready. */
export function spawnTestWorker(config: RuntimeConfig, env: Record<string, string> = {}): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", workerScript], {
      env: {
        ...process.env,
        DATABASE_URL: config.DATABASE_URL,
        REDIS_URL: config.REDIS_URL,
        STEPWISE_QUEUE_PREFIX: config.STEPWISE_QUEUE_PREFIX,
        STEPWISE_DB_POOL_SIZE: "5",
        LOG_LEVEL: "silent",
        ...env,
      },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    child.once("message", () => resolve(child));
    child.once("error", reject);
    child.once("exit", (code, signal) => reject(new Error(`worker exited before it was ready (${signal ?? code})`)));
  });
}

/** `length` Task states of one resource in a row, plus any `extra` states. */
export function taskChain(resource: string, length: number, extra: Record<string, unknown> = {}): StateMachineDefinition {
  const states: Record<string, unknown> = {};
  for (let i = 0; i < length; i++)
    states[`S${i}`] = { Type: "Task", Resource: resource, ...(i === length - 1 ? { End: true } : { Next: `S${i + 1}` }) };
  return { StartAt: "S0", States: { ...states, ...extra } } as StateMachineDefinition;
}
