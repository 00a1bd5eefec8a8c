import type { ChildProcess } from "node:child_process";
import { assertWellFormedHistory, createTestRuntime, eventTypes, spawnTestWorker, type TestRuntime, taskChain } from "@stepwise/testkit";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const step = "arn:aws:lambda:us-east-1:123456789012:function:step";

describe("workers crash and Redis loses its data, and no execution is lost or doubled", () => {
  let t: TestRuntime;
  const workers: ChildProcess[] = [];
  let redis: Redis;

  const spawnWorker = async () => {
    const child = await spawnTestWorker(t.config, { STEPWISE_JOB_LOCK_MS: "1500" });
    workers.push(child);
    return child;
  };

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
    const machine = await t.createMachine(taskChain(step, 6));
    const started = await Promise.all(
      Array.from({ length: 40 }, () => t.runtime.engine.start({ stateMachineArn: machine, input: JSON.stringify({ n: 0 }) })),
    );
    // Killed once a quarter of the handler runs are done: mid-chain, with handlers (40 ms each) under way
    // in both workers. (A fixed delay stopped being mid-run once executions got quicker.)
    const deadline = Date.now() + 30_000;
    while ((await runs()) < 60) {
      if (Date.now() > deadline) throw new Error(`only ${await runs()} handler runs after 30 s`);
      await new Promise((r) => setTimeout(r, 10));
    }
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
      expect(types.filter((e) => e === "LambdaFunctionSucceeded")).toHaveLength(6);
      expect(types.filter((e) => e === "ExecutionSucceeded")).toHaveLength(1);
    }
    expect(pids.size).toBeGreaterThanOrEqual(2);
    const total = await runs();
    // At-least-once: handlers the killed worker was running ran again elsewhere.
    expect(total).toBeGreaterThan(240);
    process.stdout.write(
      `\n[worker crash] 40 executions x 6 tasks: ${total} handler runs (${total - 240} re-runs), ${pids.size} worker pids\n`,
    );
  }, 90_000);

  it("Redis flushed mid-execution: the reconciler finishes every execution from Postgres", async () => {
    const machine = await t.createMachine(taskChain(step, 2));
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
      expect(eventTypes(history).filter((e) => e === "LambdaFunctionSucceeded")).toHaveLength(2);
    }
  }, 90_000);
});
