import { createTestRuntime, gate, type TestRuntime } from "@stepwise/testkit";
import { afterAll, beforeAll, expect, it } from "vitest";
import { reconcile } from "../scheduler/reconciler.ts";

let t: TestRuntime;
beforeAll(async () => {
  // Every attempt through its queue: this is about jobs (local runs have no job; see local-tasks.test.ts).
  t = await createTestRuntime({ STEPWISE_LOCAL_TASKS: "false" });
});
afterAll(() => t.close());

it("a task job that Redis lost while its handler ran, put back by the reconciler, does not run the handler again beside the first run", async () => {
  let runs = 0;
  const { released, release } = gate();
  t.worker({
    handlers: {
      hold: async (input) => {
        runs += 1;
        await released;
        return input;
      },
    },
  });
  const arn = await t.createMachine({
    StartAt: "T",
    States: { T: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:hold", End: true } },
  });
  const { executionArn } = await t.runtime.engine.start({ stateMachineArn: arn, input: '{"n":1}' });
  await expect.poll(() => runs, { timeout: 10_000 }).toBe(1);
  const queue = t.runtime.queues.taskQueue("hold");
  // Redis forgets the job under way; the reconciler finds the attempt open and its job gone.
  await queue.obliterate({ force: true });
  expect((await reconcile(t.runtime, 0)).tasks).toBe(1);
  // The copy reaches the worker, which is still running the first.
  await expect.poll(async () => (await queue.getJobCounts("completed")).completed, { timeout: 10_000 }).toBe(1);
  release();
  const { execution } = await t.waitFor(executionArn);
  expect(execution.status).toBe("SUCCEEDED");
  expect(execution.output).toBe('{"n":1}');
  expect(runs).toBe(1);
});
