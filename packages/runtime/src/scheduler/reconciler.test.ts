import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestRuntime, type TestRuntime } from "../testing/test-runtime.ts";
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
});
