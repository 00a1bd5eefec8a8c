/**
 * `ctx.taskId` is the idempotency key of a task attempt (docs/task-handlers.md), so a handler run again for the same
 * attempt must see the same id — also when it first ran inline, inside a transaction that rolled back,
 * and the execution moved on differently before the step ran again: another branch of a Parallel
 * committed in between (the chaos run's seed 1372682361: a worker killed mid-transition, the branch's
 * `judge` run again elsewhere under a second task id), or the task before answered inline the first
 * time and not the second.
 */

import { assertWellFormedHistory, createTestRuntime, eventTypes, type TestRuntime } from "@stepwise/testkit";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const lambda = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

/** Ends the transaction that holds the execution's row lock, as a killed worker or a Postgres restart would. */
const loseTheTransaction = (t: TestRuntime) =>
  t.runtime.db.execute(
    sql`select pg_terminate_backend(l.pid) from pg_locks l
        where l.relation = 'executions'::regclass and l.mode = 'RowShareLock' and l.pid <> pg_backend_pid()`,
  );

describe("a handler run again after its inline run's transaction rolled back", () => {
  let t: TestRuntime;
  beforeAll(async () => {
    // The most a transition may wait for inline handlers: it waits for the judge below to return.
    t = await createTestRuntime({ STEPWISE_INLINE_TASK_MS: "1000" });
  });
  afterAll(() => t.close());

  it("keeps its task id when another branch's outcome is committed in between", async () => {
    const judged: string[] = [];
    let parked: (taskId: string) => void = () => {};
    const otherParked = new Promise<string>((resolve) => {
      parked = resolve;
    });
    t.worker({
      handlers: {
        // Hands its task id to the judge, to be answered by a callback.
        other: async (_input, ctx) => {
          await ctx.deferCompletion();
          parked(ctx.taskId);
          return undefined;
        },
        judge: async (input, ctx) => {
          judged.push(ctx.taskId);
          if (judged.length === 1) {
            // The transaction running this handler inline is lost, and the execution's row lock with it.
            await loseTheTransaction(t);
            // Before the transition runs again, the other branch's outcome commits: the history moves on.
            await t.runtime.engine.completeTask(await otherParked, { output: { other: "done" } });
          }
          return input;
        },
      },
    });
    const arn = await t.createMachine({
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          Branches: [
            // The Wait lets the other branch park first, so the judge's transition runs alone.
            {
              StartAt: "W",
              States: { W: { Type: "Wait", Seconds: 1, Next: "J" }, J: { Type: "Task", Resource: lambda("judge"), End: true } },
            },
            { StartAt: "O", States: { O: { Type: "Task", Resource: lambda("other"), End: true } } },
          ],
          End: true,
        },
      },
    });
    const { execution, history } = await t.run(arn, { verdict: "pass" });
    expect(execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.output as string)).toEqual([{ verdict: "pass" }, { other: "done" }]);
    assertWellFormedHistory(history);
    expect(eventTypes(history).filter((e) => e === "LambdaFunctionScheduled")).toHaveLength(2);
    // Once or twice (a second run may meet the first's answer), but always under one id.
    expect(judged.length).toBeGreaterThanOrEqual(1);
    expect(new Set(judged).size).toBe(1);
  });

  it("keeps its task id when the task before it answered inline the first time, and after the commit the second", async () => {
    const first: string[] = [];
    const second: string[] = [];
    t.worker({
      handlers: {
        first: async (input, ctx) => {
          first.push(ctx.taskId);
          // Run again, it outlives the transition's wait: its attempt is committed, and it answers after.
          if (first.length > 1) await new Promise((resolve) => setTimeout(resolve, 1300));
          return input;
        },
        second: async (input, ctx) => {
          second.push(ctx.taskId);
          if (second.length === 1) await loseTheTransaction(t);
          return input;
        },
      },
    });
    const arn = await t.createMachine({
      StartAt: "A",
      States: { A: { Type: "Task", Resource: lambda("first"), Next: "B" }, B: { Type: "Task", Resource: lambda("second"), End: true } },
    });
    const { execution, history } = await t.run(arn, { n: 1 });
    expect(execution.status).toBe("SUCCEEDED");
    assertWellFormedHistory(history);
    expect(eventTypes(history).filter((e) => e === "LambdaFunctionScheduled")).toHaveLength(2);
    expect(first).toHaveLength(2);
    expect(new Set(first).size).toBe(1);
    expect(second.length).toBeGreaterThanOrEqual(2);
    expect(new Set(second).size).toBe(1);
  });
});
