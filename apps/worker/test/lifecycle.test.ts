import { fileURLToPath } from "node:url";
import type { StateMachineDefinition } from "@stepwise/asl";
import {
  type AppProcess,
  assertWellFormedHistory,
  createTestRuntime,
  eventTypes,
  parseSamples,
  probe,
  sampleValue,
  startApp,
  type TestRuntime,
} from "@stepwise/testkit";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const handlersModule = fileURLToPath(new URL("./fixtures/counting-handlers.ts", import.meta.url));
const step = "arn:aws:lambda:us-east-1:123456789012:function:step";
const STEPS = 4;

function chain(length: number): StateMachineDefinition {
  const states: Record<string, unknown> = {};
  for (let i = 0; i < length; i++)
    states[`S${i}`] = { Type: "Task", Resource: step, ...(i === length - 1 ? { End: true } : { Next: `S${i + 1}` }) };
  return { StartAt: "S0", States: states } as StateMachineDefinition;
}

describe("a worker process (apps/worker) leaves cleanly on SIGTERM and its metrics see stalled jobs", () => {
  let t: TestRuntime;
  let redis: Redis;
  const apps: AppProcess[] = [];

  const startWorker = async (env: Record<string, string> = {}) => {
    const app = await startApp("apps/worker/src/main.ts", {
      ...env,
      DATABASE_URL: t.config.DATABASE_URL,
      REDIS_URL: t.config.REDIS_URL,
      STEPWISE_QUEUE_PREFIX: t.config.STEPWISE_QUEUE_PREFIX,
      STEPWISE_HANDLERS_MODULE: handlersModule,
      STEPWISE_WORKER_CONCURRENCY: "4",
      STEPWISE_JOB_LOCK_MS: "1500",
    });
    apps.push(app);
    return app;
  };
  const counts = async (field: "started" | "finished") => {
    const all = await redis.hgetall(`${t.config.STEPWISE_QUEUE_PREFIX}:${field}`);
    return new Map(Object.entries(all).map(([pid, n]) => [Number(pid), Number(n)]));
  };
  const total = (m: Map<number, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const waitUntil = async (what: string, check: () => Promise<boolean>, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const startExecutions = async (machine: string, n: number) =>
    Promise.all(Array.from({ length: n }, () => t.runtime.engine.start({ stateMachineArn: machine, input: JSON.stringify({ n: 0 }) })));
  const expectAllSucceeded = async (started: Array<{ executionArn: string }>) => {
    for (const { executionArn } of started) {
      const { execution, history } = await t.waitFor(executionArn, 60_000);
      expect(execution.status).toBe("SUCCEEDED");
      expect((JSON.parse(execution.output as string) as { n: number }).n).toBe(STEPS);
      assertWellFormedHistory(history);
      expect(eventTypes(history).filter((e) => e === "LambdaFunctionSucceeded")).toHaveLength(STEPS);
    }
  };

  beforeAll(async () => {
    t = await createTestRuntime({ STEPWISE_JOB_LOCK_MS: "1500" });
    redis = new Redis(t.config.REDIS_URL);
    t.scheduler();
  });

  afterAll(async () => {
    for (const app of apps) app.kill();
    await Promise.all(apps.map((a) => a.exited));
    redis.disconnect();
    await t.close();
  });

  it("SIGTERM mid-load: readiness drops first, the worker finishes every job it took, exits 0, and nothing is lost", async () => {
    const first = await startWorker();
    const machine = await t.createMachine(chain(STEPS));
    const started = await startExecutions(machine, 20);
    await waitUntil("the first worker is busy", async () => ((await counts("started")).get(first.pid) ?? 0) >= 6);

    const readiness: Array<number | "down"> = [];
    let exited = false;
    const polling = (async () => {
      while (!exited) {
        readiness.push(await probe(`${first.url}/readyz`));
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const signalled = Date.now();
    first.child.kill("SIGTERM");
    const exit = await first.exited;
    exited = true;
    await polling;

    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(30_000);
    // Not ready from the signal on (then gone); never ready again once it said so.
    const firstDown = readiness.findIndex((r) => r !== 200);
    expect(readiness[firstDown]).toBe(503);
    expect(readiness.slice(firstDown).every((r) => r !== 200)).toBe(true);
    // Every handler run it started, it finished before exiting.
    const [startedBy, finishedBy] = [await counts("started"), await counts("finished")];
    expect(finishedBy.get(first.pid)).toBe(startedBy.get(first.pid));
    expect(startedBy.get(first.pid)).toBeLessThan(20 * STEPS);

    const second = await startWorker();
    await expectAllSucceeded(started);
    // Each task ran exactly once: nothing was dropped half-done for another worker to redo.
    expect(total(await counts("started"))).toBe(20 * STEPS);
    expect(total(await counts("finished"))).toBe(20 * STEPS);
    expect((await counts("finished")).get(second.pid)).toBeGreaterThan(0);

    second.child.kill("SIGTERM");
    expect(await second.exited).toEqual({ code: 0, signal: null });
  }, 90_000);

  it("SIGKILL mid-load: the surviving worker takes the dead one's jobs back and counts them as stalled", async () => {
    // Every task through its queue, so the dead worker holds jobs (a task it ran locally has a lease instead,
    // which the reconciler outlasts: packages/runtime/src/worker/local-tasks.test.ts).
    const queued = { STEPWISE_LOCAL_TASKS: "false" };
    const [doomed, survivor] = [await startWorker(queued), await startWorker(queued)];
    const machine = await t.createMachine(chain(STEPS));
    const started = await startExecutions(machine, 16);
    const before = await counts("started");
    await waitUntil("the doomed worker holds jobs", async () => {
      const [s, f] = [await counts("started"), await counts("finished")];
      return (s.get(doomed.pid) ?? 0) > (f.get(doomed.pid) ?? 0) && (s.get(doomed.pid) ?? 0) > (before.get(doomed.pid) ?? 0);
    });
    doomed.child.kill("SIGKILL");
    await doomed.exited;
    await expectAllSucceeded(started);

    const samples = parseSamples(await (await fetch(`${survivor.url}/metrics`)).text());
    expect(sampleValue(samples, "stepwise_stalled_jobs_total", { queue: "task-step" })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(samples, "stepwise_tasks_total", { handler: "step", outcome: "succeeded" })).toBeGreaterThan(0);
    expect(sampleValue(samples, "stepwise_executions_finished_total", { status: "SUCCEEDED" })).toBeGreaterThan(0);
    survivor.child.kill("SIGTERM");
    expect(await survivor.exited).toEqual({ code: 0, signal: null });
  }, 90_000);
});
