import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { StateMachineDefinition } from "@stepwise/asl";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertWellFormedHistory, createTestRuntime, eventTypes, type TestRuntime } from "../testing/test-runtime.ts";

const workerScript = fileURLToPath(new URL("../testing/worker-process.ts", import.meta.url));
const step = "arn:aws:lambda:us-east-1:123456789012:function:step";

function chain(length: number, extra: Record<string, unknown> = {}): StateMachineDefinition {
  const states: Record<string, unknown> = {};
  for (let i = 0; i < length; i++)
    states[`S${i}`] = { Type: "Task", Resource: step, ...(i === length - 1 ? { End: true } : { Next: `S${i + 1}` }) };
  return { StartAt: "S0", States: { ...states, ...extra } } as StateMachineDefinition;
}

describe("workers crash and Redis loses its data, and no execution is lost or doubled", () => {
  let t: TestRuntime;
  const workers: ChildProcess[] = [];
  let redis: Redis;

  const spawnWorker = () =>
    new Promise<ChildProcess>((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", workerScript], {
        env: {
          ...process.env,
          DATABASE_URL: t.config.DATABASE_URL,
          REDIS_URL: t.config.REDIS_URL,
          STEPWISE_QUEUE_PREFIX: t.config.STEPWISE_QUEUE_PREFIX,
          STEPWISE_JOB_LOCK_MS: "1500",
          STEPWISE_DB_POOL_SIZE: "5",
          LOG_LEVEL: "silent",
        },
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      });
      workers.push(child);
      child.once("message", () => resolve(child));
      child.once("error", reject);
    });

  const runs = async () => Number(await redis.get(`${t.config.STEPWISE_QUEUE_PREFIX}:runs:step`));

  beforeAll(async () => {
    t = await createTestRuntime({ STEPWISE_JOB_LOCK_MS: "1500" });
    redis = new Redis(t.config.REDIS_URL);
    t.scheduler();
  }, 60_000);

  afterAll(async () => {
    for (const w of workers) w.kill("SIGKILL");
    redis.disconnect();
    await t.close();
  });

  it("a worker killed with SIGKILL mid-run: every execution finishes once, shared by two workers", async () => {
    const first = await spawnWorker();
    await spawnWorker();
    const machine = await t.createMachine(chain(6));
    const started = await Promise.all(
      Array.from({ length: 40 }, () => t.runtime.engine.start({ stateMachineArn: machine, input: JSON.stringify({ n: 0 }) })),
    );
    await new Promise((r) => setTimeout(r, 800));
    first.kill("SIGKILL");
    await spawnWorker();
    const pids = new Set<number>();
    for (const { executionArn } of started) {
      const { execution, history } = await t.waitFor(executionArn, 60_000);
      expect(execution.status).toBe("SUCCEEDED");
      const output = JSON.parse(execution.output as string) as { n: number; pids: number[] };
      expect(output.n).toBe(6);
      for (const pid of output.pids) pids.add(pid);
      assertWellFormedHistory(history);
      const types = eventTypes(history);
      expect(types.filter((e) => e === "TaskSucceeded")).toHaveLength(6);
      expect(types.filter((e) => e === "ExecutionSucceeded")).toHaveLength(1);
    }
    expect(pids.size).toBeGreaterThanOrEqual(2);
    const total = await runs();
    // At-least-once: handlers the killed worker was running ran again elsewhere.
    expect(total).toBeGreaterThanOrEqual(240);
    process.stdout.write(
      `\n[worker crash] 40 executions x 6 tasks: ${total} handler runs (${total - 240} re-runs), ${pids.size} worker pids\n`,
    );
  }, 90_000);

  it("Redis flushed mid-execution: the reconciler finishes every execution from Postgres", async () => {
    const machine = await t.createMachine(chain(2, {}));
    const waiting = await t.createMachine({
      StartAt: "A",
      States: {
        A: { Type: "Task", Resource: step, Next: "W" },
        W: { Type: "Wait", Seconds: 1, Next: "B" },
        B: { Type: "Task", Resource: step, End: true },
      },
    });
    const started = await Promise.all([
      ...Array.from({ length: 10 }, () => t.runtime.engine.start({ stateMachineArn: machine, input: JSON.stringify({ n: 0 }) })),
      ...Array.from({ length: 10 }, () => t.runtime.engine.start({ stateMachineArn: waiting, input: JSON.stringify({ n: 0 }) })),
    ]);
    await new Promise((r) => setTimeout(r, 300));
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${t.config.STEPWISE_QUEUE_PREFIX}:*`, "COUNT", 1000);
      cursor = next;
      const queueKeys = keys.filter((k) => !k.endsWith(":runs:step"));
      if (queueKeys.length > 0) await redis.del(...queueKeys);
    } while (cursor !== "0");
    for (const { executionArn } of started) {
      const { execution, history } = await t.waitFor(executionArn, 60_000);
      expect(execution.status).toBe("SUCCEEDED");
      expect((JSON.parse(execution.output as string) as { n: number }).n).toBe(2);
      assertWellFormedHistory(history);
      expect(eventTypes(history).filter((e) => e === "TaskSucceeded")).toHaveLength(2);
    }
  }, 90_000);
});
