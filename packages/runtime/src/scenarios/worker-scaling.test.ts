import type { ChildProcess } from "node:child_process";
import { assertWellFormedHistory, createTestRuntime, eventTypes, spawnTestWorker, type TestRuntime, taskChain } from "@stepwise/testkit";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const step = "arn:aws:lambda:us-east-1:123456789012:function:step";
const EXECUTIONS = 30;
const TASKS = 5;

// No scheduler: nothing is killed, so nothing needs reconciling, and every handler run must be the only one.
describe("the same batch completes with one and with three worker processes, with no duplicated work", () => {
  let t: TestRuntime;
  let redis: Redis;
  const workers = new Set<ChildProcess>();

  // An execution's tasks run on the worker that ran its transition (local tasks), so a batch spreads by its
  // executions' starts; a worker taking 64 at once could hold this whole batch before the others woke.
  const spawnWorker = async () => {
    const child = await spawnTestWorker(t.config, { STEPWISE_WORKER_CONCURRENCY: "4" });
    workers.add(child);
    child.once("exit", () => workers.delete(child));
    return child;
  };

  /** SIGTERM lets each worker drain and close; the test waits until every one has exited. */
  const stopWorkers = () =>
    Promise.all(
      [...workers].map(
        (child) =>
          new Promise<void>((resolve) => {
            child.once("exit", () => resolve());
            child.kill("SIGTERM");
          }),
      ),
    );

  const runs = async () => Number(await redis.get(`${t.config.STEPWISE_QUEUE_PREFIX}:runs:step`));

  /** Starts the batch on `processes` fresh workers, waits for all of it, and says which pids did the work and how long it took (first start to last stop). */
  async function runBatch(processes: number): Promise<{ pids: Set<number>; runs: number; ms: number }> {
    await Promise.all(Array.from({ length: processes }, spawnWorker));
    const runsBefore = await runs();
    const machine = await t.createMachine(taskChain(step, TASKS));
    const started = await Promise.all(
      Array.from({ length: EXECUTIONS }, () => t.runtime.engine.start({ stateMachineArn: machine, input: JSON.stringify({ n: 0 }) })),
    );
    const pids = new Set<number>();
    let first = Number.POSITIVE_INFINITY;
    let last = 0;
    for (const { executionArn } of started) {
      const { execution, history } = await t.waitFor(executionArn, 30_000);
      expect(execution.status).toBe("SUCCEEDED");
      const output = JSON.parse(execution.output as string) as { n: number; pids: number[] };
      expect(output.n).toBe(TASKS);
      expect(output.pids).toHaveLength(TASKS);
      for (const pid of output.pids) pids.add(pid);
      first = Math.min(first, execution.startDate.getTime());
      last = Math.max(last, (execution.stopDate as Date).getTime());
      assertWellFormedHistory(history);
      const types = eventTypes(history);
      expect(types.filter((e) => e === "LambdaFunctionScheduled")).toHaveLength(TASKS);
      expect(types.filter((e) => e === "LambdaFunctionSucceeded")).toHaveLength(TASKS);
      expect(types.filter((e) => e === "ExecutionSucceeded")).toHaveLength(1);
    }
    const handlerRuns = (await runs()) - runsBefore;
    await stopWorkers();
    return { pids, runs: handlerRuns, ms: last - first };
  }

  beforeAll(async () => {
    t = await createTestRuntime();
    redis = new Redis(t.config.REDIS_URL);
  }, 60_000);

  afterAll(async () => {
    await stopWorkers();
    redis.disconnect();
    await t.close();
  });

  it(`${EXECUTIONS} executions of a ${TASKS}-Task chain on 1 worker, then on 3: each Task's handler runs exactly once`, async () => {
    const tasks = EXECUTIONS * TASKS;
    const one = await runBatch(1);
    expect(one.runs).toBe(tasks);
    expect(one.pids.size).toBe(1);

    const three = await runBatch(3);
    expect(three.runs).toBe(tasks);
    expect(three.pids.size).toBeGreaterThanOrEqual(2);
    expect([...three.pids].some((pid) => one.pids.has(pid))).toBe(false);

    const rate = (r: { ms: number }) => ((EXECUTIONS * 1000) / r.ms).toFixed(1);
    process.stdout.write(
      `\n[worker scaling] ${EXECUTIONS} executions x ${TASKS} tasks: 1 worker ${one.ms.toFixed(0)} ms (${rate(one)} executions/s), ` +
        `3 workers ${three.ms.toFixed(0)} ms (${rate(three)} executions/s, ${three.pids.size} pids did work)\n`,
    );
  }, 60_000);
});
