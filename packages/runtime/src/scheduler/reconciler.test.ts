import { createTestRuntime, gate, type TestRuntime } from "@stepwise/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reconcile } from "./reconciler.ts";

const lambda = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

describe("the reconciler puts work that Redis lost back on the queues", () => {
  let t: TestRuntime;
  beforeAll(async () => {
    t = await createTestRuntime();
  });
  afterAll(() => t.close());

  it("re-enqueues a started execution whose first job, task job and express job are gone", async () => {
    const standard = await t.createMachine({ StartAt: "T", States: { T: { Type: "Task", Resource: lambda("echo"), End: true } } });
    const express = await t.createMachine(
      { StartAt: "P", States: { P: { Type: "Pass", Result: "done", End: true } } },
      undefined,
      "EXPRESS",
    );
    const a = await t.runtime.engine.start({ stateMachineArn: standard, input: "{}" });
    const b = await t.runtime.engine.start({ stateMachineArn: express, input: "{}" });
    // Redis forgets every job before any worker saw them.
    await t.runtime.queues.transitions.obliterate({ force: true });
    await t.runtime.queues.express.obliterate({ force: true });
    const first = await reconcile(t.runtime, 0);
    expect(first).toMatchObject({ threads: 1, express: 1 });
    // The first transition runs (no handler worker yet), schedules the task; then the task job is lost too.
    t.worker({ handlers: {} });
    await expect.poll(async () => (await t.runtime.queues.taskQueue("echo").getJobCounts("waiting")).waiting, { timeout: 10_000 }).toBe(1);
    await t.runtime.queues.taskQueue("echo").obliterate({ force: true });
    expect((await reconcile(t.runtime, 0)).tasks).toBe(1);
    t.worker({ handlers: { echo: () => ({ echoed: true }) } });
    expect((await t.waitFor(a.executionArn)).execution.status).toBe("SUCCEEDED");
    expect((await t.waitFor(b.executionArn)).execution.output).toBe(JSON.stringify("done"));
  });

  it("leaves Map items that wait for a MaxConcurrency slot alone, so the limit still holds", async () => {
    let active = 0;
    let peak = 0;
    const { released, release } = gate();
    t.worker({
      handlers: {
        slow: async (input) => {
          active += 1;
          peak = Math.max(peak, active);
          await released;
          active -= 1;
          return input;
        },
      },
    });
    const arn = await t.createMachine({
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          MaxConcurrency: 1,
          ItemProcessor: { StartAt: "S", States: { S: { Type: "Task", Resource: lambda("slow"), End: true } } },
          End: true,
        },
      },
    });
    const { executionArn } = await t.runtime.engine.start({ stateMachineArn: arn, input: "[1,2,3]" });
    await expect.poll(() => active, { timeout: 10_000 }).toBe(1);
    // Every thread counts as stale: only those whose next step is really missing may be re-enqueued.
    await reconcile(t.runtime, 0);
    await new Promise((r) => setTimeout(r, 500));
    release();
    const { execution } = await t.waitFor(executionArn);
    expect(execution.output).toBe("[1,2,3]");
    expect(peak).toBe(1);
  });
});
