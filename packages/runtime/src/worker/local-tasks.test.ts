import { listTaskTokens } from "@stepwise/storage";
import {
  assertWellFormedHistory,
  countingChain,
  createTestRuntime,
  eventTypes,
  gate,
  increment,
  type TestRuntime,
} from "@stepwise/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRuntime } from "../runtime.ts";
import { reconcile } from "../scheduler/reconciler.ts";
import { startWorker } from "./start-worker.ts";

const lambda = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
// Long enough that a busy machine's pauses (test files run in parallel) do not let a held lease lapse
// between its renewals, every half lease.
const LEASE_MS = 2000;

describe("a worker runs the task attempts its own transitions schedule, without a queue hop", () => {
  let t: TestRuntime;
  beforeAll(async () => {
    // Inline runs off: these are the runs after the commit (inline-tasks.test.ts has the others).
    t = await createTestRuntime({
      STEPWISE_JOB_LOCK_MS: String(LEASE_MS),
      STEPWISE_TASK_LIMITS: '{"limited":{"concurrency":2}}',
      STEPWISE_INLINE_TASK_MS: "0",
    });
  });
  afterAll(() => t.close());

  const jobsSeen = async (handler: string) => {
    const counts = await t.runtime.queues.taskQueue(handler).getJobCounts("waiting", "active", "completed", "failed", "delayed");
    return Object.values(counts).reduce((a, b) => a + b, 0);
  };

  it("a chain of Tasks runs through, each task after the commit that scheduled it, and the handler's queue never holds a job", async () => {
    t.worker({ handlers: { add: increment } });
    const arn = await t.createMachine(countingChain("add"));
    const { execution, history } = await t.run(arn, { n: 0 });
    expect(execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.output as string)).toEqual({ n: 3 });
    assertWellFormedHistory(history);
    expect(eventTypes(history).filter((e) => e === "LambdaFunctionSucceeded" || e === "TaskSucceeded")).toHaveLength(3);
    expect(await jobsSeen("add")).toBe(0);
    // Each attempt was committed (its row) before its handler's outcome was applied.
    expect((await listTaskTokens(t.runtime.db, execution.arn)).map((r) => r.status)).toEqual(["SUCCEEDED", "SUCCEEDED", "SUCCEEDED"]);
  });

  it("a handler with a cluster-wide limit still goes through its queue, where the limit is kept", async () => {
    t.worker({ handlers: { limited: (input) => input } });
    const arn = await t.createMachine({ StartAt: "L", States: { L: { Type: "Task", Resource: lambda("limited"), End: true } } });
    expect((await t.run(arn, { ok: true })).execution.status).toBe("SUCCEEDED");
    expect(await jobsSeen("limited")).toBe(1);
  });

  it("the reconciler leaves a local handler that is still running alone: it runs once", async () => {
    const held = gate();
    let runs = 0;
    t.worker({
      handlers: {
        slow: async (input) => {
          runs += 1;
          await held.released;
          return input;
        },
      },
    });
    const arn = await t.createMachine({ StartAt: "S", States: { S: { Type: "Task", Resource: lambda("slow"), End: true } } });
    const { executionArn } = await t.runtime.engine.start({ stateMachineArn: arn, input: '{"n":1}' });
    await expect.poll(() => runs, { timeout: 10_000 }).toBe(1);
    // Longer than a lease: the worker keeps it alive while the handler runs.
    await new Promise((r) => setTimeout(r, LEASE_MS * 1.5));
    expect((await reconcile(t.runtime, 0)).tasks).toBe(0);
    held.release();
    const { execution } = await t.waitFor(executionArn);
    expect(execution.output).toBe('{"n":1}');
    expect(runs).toBe(1);
    expect(await jobsSeen("slow")).toBe(0);
  });
});

describe("a worker dies while it runs a task attempt locally", () => {
  let t: TestRuntime;
  beforeAll(async () => {
    // No other worker here: the doomed one runs the transition, so the attempt is its own.
    t = await createTestRuntime({ STEPWISE_JOB_LOCK_MS: String(LEASE_MS) });
  });
  afterAll(() => t.close());

  it("a worker that dies mid-handler: its lease lapses, the reconciler queues the attempt, another worker finishes it", async () => {
    // The doomed worker is a runtime of its own, so closing it stops its leases as a crash would.
    const doomed = await createRuntime(t.config, { name: "doomed" });
    let started = 0;
    const doomedWorker = startWorker(doomed, {
      concurrency: 4,
      handlers: {
        fragile: () => {
          started += 1;
          return new Promise(() => {});
        },
      },
    });
    const arn = await t.createMachine({ StartAt: "F", States: { F: { Type: "Task", Resource: lambda("fragile"), End: true } } });
    const { executionArn } = await t.runtime.engine.start({ stateMachineArn: arn, input: '{"n":2}' });
    await expect.poll(() => started, { timeout: 10_000 }).toBe(1);
    // The handler began inside the transition; once that committed, the worker holds the attempt's lease.
    await expect
      .poll(
        async () => {
          const [token] = await listTaskTokens(t.runtime.db, executionArn);
          return token !== undefined && (await t.runtime.leases.alive(token.token));
        },
        { timeout: 10_000 },
      )
      .toBe(true);
    await doomedWorker.close(true);
    await doomed.close();
    expect((await reconcile(t.runtime, 0)).tasks).toBe(0);
    await new Promise((r) => setTimeout(r, LEASE_MS + 500));
    expect((await reconcile(t.runtime, 0)).tasks).toBe(1);
    t.worker({ handlers: { fragile: (input) => ({ ...(input as object), survived: true }) } });
    const { execution, history } = await t.waitFor(executionArn);
    expect(JSON.parse(execution.output as string)).toEqual({ n: 2, survived: true });
    assertWellFormedHistory(history);
    expect(eventTypes(history).filter((e) => e === "LambdaFunctionStarted")).toHaveLength(1);
  });
});
