import { getExecution, listTaskTokens } from "@stepwise/storage";
import {
  assertWellFormedHistory,
  countingChain,
  createTestRuntime,
  eventTypes,
  gate,
  increment,
  type TestRuntime,
} from "@stepwise/testkit";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InlineAllowance } from "../engine/inline-tasks.ts";
import type { TaskJob } from "../queues.ts";
import { HandlerPace } from "./handler-pace.ts";
import { localTasks } from "./local-tasks.ts";
import { TaskFailure, type TaskHandler } from "./task-handler.ts";
import { taskRunner } from "./task-worker.ts";

const lambda = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const INLINE_MS = 50;

describe("a quick handler runs inside the transition that schedules its task", () => {
  let t: TestRuntime;
  beforeAll(async () => {
    t = await createTestRuntime({ STEPWISE_INLINE_TASK_MS: String(INLINE_MS) });
  });
  afterAll(() => t.close());

  it("a chain of quick Tasks ends in one transition: full history, no task row, no job", async () => {
    t.worker({ handlers: { inc: increment } });
    const arn = await t.createMachine(countingChain("inc"));
    const { execution, history } = await t.run(arn, { n: 0 });
    expect(execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.output as string)).toEqual({ n: 3 });
    assertWellFormedHistory(history);
    // A and C name a function's ARN (LambdaFunction* events), B the lambda:invoke integration (Task* events).
    const byArn = ["TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded", "TaskStateExited"];
    const invoke = ["TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited"];
    expect(eventTypes(history).filter((e) => e.startsWith("Task") || e.startsWith("Lambda"))).toEqual([...byArn, ...invoke, ...byArn]);
    // Rows are written for attempts that outlive a transaction; these never did.
    expect(await listTaskTokens(t.runtime.db, execution.arn)).toEqual([]);
    const counts = await t.runtime.queues.taskQueue("inc").getJobCounts("waiting", "active", "completed", "failed", "delayed");
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it("a failure answered inline is retried and then caught like any other", async () => {
    let calls = 0;
    t.worker({
      handlers: {
        refuse: () => {
          calls += 1;
          throw new TaskFailure("Refused", `attempt ${calls}`);
        },
      },
    });
    t.scheduler();
    const arn = await t.createMachine({
      StartAt: "R",
      States: {
        R: {
          Type: "Task",
          Resource: lambda("refuse"),
          Retry: [{ ErrorEquals: ["Refused"], IntervalSeconds: 1, MaxAttempts: 1 }],
          Catch: [{ ErrorEquals: ["States.ALL"], Next: "Caught" }],
          End: true,
        },
        Caught: { Type: "Pass", End: true },
      },
    });
    const { execution, history } = await t.run(arn, {});
    expect(execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.output as string)).toEqual({ Error: "Refused", Cause: "attempt 2" });
    expect(calls).toBe(2);
    assertWellFormedHistory(history);
    expect(eventTypes(history).filter((e) => e === "LambdaFunctionFailed")).toHaveLength(2);
  });

  it("a handler that outlives the wait keeps running, its task row is committed meanwhile, and it runs once", async () => {
    const held = gate();
    let runs = 0;
    t.worker({
      handlers: {
        slowpoke: async (input) => {
          runs += 1;
          await held.released;
          return { ...(input as object), late: true };
        },
      },
    });
    const arn = await t.createMachine({ StartAt: "S", States: { S: { Type: "Task", Resource: lambda("slowpoke"), End: true } } });
    const { executionArn } = await t.runtime.engine.start({ stateMachineArn: arn, input: '{"n":1}' });
    await expect
      .poll(async () => (await listTaskTokens(t.runtime.db, executionArn)).map((r) => r.status), { timeout: 10_000 })
      .toEqual(["PENDING"]);
    expect((await getExecution(t.runtime.db, executionArn)).status).toBe("RUNNING");
    held.release();
    const { execution, history } = await t.waitFor(executionArn);
    expect(JSON.parse(execution.output as string)).toEqual({ n: 1, late: true });
    expect(runs).toBe(1);
    assertWellFormedHistory(history);
    expect((await listTaskTokens(t.runtime.db, executionArn)).map((r) => r.status)).toEqual(["SUCCEEDED"]);
  });

  it("StopExecution reaches a handler that outlived its wait", async () => {
    const aborted = gate();
    t.worker({
      handlers: {
        stubborn: (_input, ctx) =>
          new Promise((_resolve, reject) => {
            ctx.signal.addEventListener("abort", () => {
              aborted.release();
              reject(new Error("stopped"));
            });
          }),
      },
    });
    const arn = await t.createMachine({ StartAt: "S", States: { S: { Type: "Task", Resource: lambda("stubborn"), End: true } } });
    const { executionArn } = await t.runtime.engine.start({ stateMachineArn: arn });
    await expect.poll(async () => (await listTaskTokens(t.runtime.db, executionArn)).length, { timeout: 10_000 }).toBe(1);
    await t.runtime.engine.stop(executionArn);
    await aborted.released;
    expect((await t.waitFor(executionArn)).execution.status).toBe("ABORTED");
  });

  it("a handler whose transaction is lost under it runs again with the same task id, a stable idempotency key", async () => {
    const taskIds: string[] = [];
    t.worker({
      handlers: {
        unlucky: async (input, ctx) => {
          taskIds.push(ctx.taskId);
          // The first time, the transition waiting on this handler loses its connection (Postgres restarting, say).
          if (taskIds.length === 1) {
            await t.runtime.db.execute(
              sql`select pg_terminate_backend(pid) from pg_stat_activity
                  where datname = current_database() and state = 'idle in transaction' and pid <> pg_backend_pid()`,
            );
          }
          return input;
        },
      },
    });
    const arn = await t.createMachine({ StartAt: "U", States: { U: { Type: "Task", Resource: lambda("unlucky"), End: true } } });
    const { execution, history } = await t.run(arn, { n: 5 });
    expect(execution.status).toBe("SUCCEEDED");
    expect(taskIds).toHaveLength(2);
    expect(taskIds[1]).toBe(taskIds[0]);
    assertWellFormedHistory(history);
    expect(eventTypes(history).filter((e) => e === "LambdaFunctionScheduled")).toHaveLength(1);
  });

  it("a handler that defers completion gets a committed token for its callback, and is not run inline again", async () => {
    const tokens: string[] = [];
    t.worker({
      handlers: {
        later: (_input, ctx) => {
          ctx.deferCompletion();
          tokens.push(ctx.taskId);
          return undefined;
        },
      },
    });
    const arn = await t.createMachine({ StartAt: "L", States: { L: { Type: "Task", Resource: lambda("later"), End: true } } });
    for (const round of [1, 2]) {
      const { executionArn } = await t.runtime.engine.start({ stateMachineArn: arn });
      await expect.poll(async () => (await listTaskTokens(t.runtime.db, executionArn))[0]?.status, { timeout: 10_000 }).toBe("STARTED");
      await t.runtime.engine.completeTask(tokens[round - 1] as string, { output: { round } });
      const { execution } = await t.waitFor(executionArn);
      expect(JSON.parse(execution.output as string)).toEqual({ round });
    }
  });

  it("a handler that awaits deferCompletion() on its first, inline run can have its callback answered at once", async () => {
    const callbacks: Promise<void>[] = [];
    t.worker({
      handlers: {
        eager: async (_input, ctx) => {
          await ctx.deferCompletion();
          // The fastest callback there is: answered the moment the id is handed out.
          callbacks.push(t.runtime.engine.completeTask(ctx.taskId, { output: { called: "back" } }));
          return undefined;
        },
      },
    });
    const arn = await t.createMachine({ StartAt: "E", States: { E: { Type: "Task", Resource: lambda("eager"), End: true } } });
    const { execution } = await t.run(arn, {});
    await Promise.all(callbacks);
    expect(callbacks).toHaveLength(1);
    expect(execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.output as string)).toEqual({ called: "back" });
  });
});

describe("inline runs with the default wait", () => {
  let t: TestRuntime;
  beforeAll(async () => {
    t = await createTestRuntime();
  });
  afterAll(() => t.close());

  /** This process's local runner for `handlers`, as a worker with inline runs on builds it. */
  const localRunner = (handlers: Record<string, TaskHandler>) =>
    localTasks(t.runtime, {
      handlers,
      concurrency: 4,
      queuedOnly: new Set(),
      runner: taskRunner(t.runtime, {}),
      inline: { pace: new HandlerPace(), never: new Set() },
    }).runner;
  /** An attempt of `handler` with input `{ i }`, as a transition hands it over. */
  const attempt = (handler: string, taskId: string, i: number): TaskJob => ({
    executionArn: "arn:aws:states:us-east-1:123456789012:execution:m:e",
    threadId: "",
    handler,
    payload: { i },
    lambdaInvoke: false,
    task: { taskId, stateName: "S", resource: lambda(handler), resourceType: "lambda", resourceName: handler, input: { i } },
  });

  it("256 chains of 10 quick Tasks at once: nearly every task answered inline, in one transition per execution", async () => {
    // Each inline answer waits behind the other transitions' microtasks before its own resumes; charged
    // as the handler's time, that used up the wait after a few states and sent the rest after the commit.
    const modes: Record<string, number> = {};
    let transitions = 0;
    t.runtime.observers.add({
      localTask: ({ mode }) => {
        modes[mode] = (modes[mode] ?? 0) + 1;
      },
      transition: () => {
        transitions += 1;
      },
    });
    t.worker({ handlers: { inc: increment } });
    const states = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [
        `S${i}`,
        { Type: "Task", Resource: lambda("inc"), ...(i < 9 ? { Next: `S${i + 1}` } : { End: true }) },
      ]),
    );
    const arn = await t.createMachine({ StartAt: "S0", States: states } as never);
    const ended = await Promise.all(Array.from({ length: 256 }, () => t.run(arn, { n: 0 }, 60_000)));
    expect(ended.map(({ execution }) => JSON.parse(execution.output as string))).toEqual(Array.from({ length: 256 }, () => ({ n: 10 })));
    // A few may still miss, when the OS takes the CPU away in the middle of a handler's call (tests run
    // side by side on few cores); before, hundreds did.
    const inline = modes.inline ?? 0;
    expect(inline).toBeGreaterThanOrEqual(2560 * 0.99);
    // One transition per execution, and one more per task answered after the commit.
    expect(transitions).toBe(256 + 2560 - inline);
  });

  it("a transition retried after its transaction rolled back meets the run it began, instead of starting another", async () => {
    const held = gate();
    let runs = 0;
    const inline = localRunner({
      once: async (input: unknown) => {
        runs += 1;
        await held.released;
        return input as never;
      },
    }).inline;
    if (!inline) throw new Error("inline runs are on");
    const job = attempt("once", "t-1", 1);
    // The first try's wait ends before the handler answers (its transaction then rolls back, say).
    expect(await inline(job, 20)).toBeUndefined();
    held.release();
    expect((await inline(job, 1000))?.trigger).toEqual({ type: "taskSucceeded", taskId: "t-1", output: { i: 1 } });
    expect(runs).toBe(1);
    // Its slot is free again: a new attempt runs.
    expect((await inline(attempt("once", "t-2", 2), 1000))?.trigger).toMatchObject({ type: "taskSucceeded" });
    expect(runs).toBe(2);
  });

  it("an answer given at once costs the wait nothing, however long other work delays its transition", async () => {
    const allowance = new InlineAllowance(new Set([localRunner({ quick: (input) => input as never })]), 5);
    const answers = [];
    for (let i = 0; i < 10; i++) {
      // Other transitions' work, queued ahead of this one's resumption: 2 ms each time, 20 ms in all.
      queueMicrotask(() => {
        const until = performance.now() + 2;
        while (performance.now() < until);
      });
      answers.push((await allowance.run(attempt("quick", `q-${i}`, i)))?.type);
    }
    expect(answers).toEqual(Array.from({ length: 10 }, () => "taskSucceeded"));
  });

  it("an answer that waited on a timer costs the wait its wall time", async () => {
    const napper: TaskHandler = (input) => new Promise((resolve) => setTimeout(() => resolve(input as never), 3));
    const allowance = new InlineAllowance(new Set([localRunner({ napper })]), 5);
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push((await allowance.run(attempt("napper", `n-${i}`, i)))?.type);
    // 3 ms of the 5 went on the first; the second outlived the 2 left; nothing was left for the third.
    expect(answers).toEqual(["taskSucceeded", undefined, undefined]);
  });

  it("a handler that defers completion ends its transition's wait at once: the commit it awaits is not held up", async () => {
    const deferring: TaskHandler = async (_input, ctx) => {
      await ctx.deferCompletion();
      return undefined;
    };
    const allowance = new InlineAllowance(new Set([localRunner({ deferring })]), 1000);
    const began = performance.now();
    expect(await allowance.run(attempt("deferring", "d-1", 1))).toBeUndefined();
    // Without the early end, this waited out the whole 1000 ms allowance.
    expect(performance.now() - began).toBeLessThan(500);
  });

  it("a handler whose runs take longer than the wait is no longer tried inline", () => {
    const pace = new HandlerPace();
    expect(pace.quick("h", 5)).toBe(true);
    pace.record("h", 40);
    expect(pace.quick("h", 5)).toBe(false);
    for (let i = 0; i < 30; i++) pace.record("h", 1);
    expect(pace.quick("h", 5)).toBe(true);
  });
});
