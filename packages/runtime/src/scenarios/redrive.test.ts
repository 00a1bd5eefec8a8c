import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertWellFormedHistory, createTestRuntime, eventTypes, type TestRuntime } from "../testing/test-runtime.ts";
import { TaskFailure } from "../worker/task-handler.ts";

describe("an operator redrives a failed execution once the downstream is fixed", () => {
  let t: TestRuntime;
  let broken = true;

  beforeAll(async () => {
    t = await createTestRuntime();
    t.worker({
      handlers: {
        ship: (input) => {
          if (broken) throw new TaskFailure("Carrier.Down", "503");
          return { shipped: input };
        },
      },
    });
    t.scheduler();
  });
  afterAll(() => t.close());

  it("runs again from the failed state with its input, and only a closed execution can be redriven", async () => {
    const arn = await t.createMachine({
      StartAt: "Prepare",
      States: {
        Prepare: { Type: "Pass", Result: { box: 1 }, ResultPath: "$.prepared", Next: "Ship" },
        Ship: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:ship", End: true },
      },
    });
    const first = await t.run(arn, { order: 7 });
    expect(first.execution).toMatchObject({ status: "FAILED", error: "Carrier.Down" });
    broken = false;
    await t.runtime.engine.redrive(first.execution.arn);
    const { execution, history } = await t.waitFor(first.execution.arn);
    expect(execution).toMatchObject({ status: "SUCCEEDED", redriveCount: 1 });
    expect(JSON.parse(execution.output as string)).toEqual({ shipped: { order: 7, prepared: { box: 1 } } });
    assertWellFormedHistory(history);
    const types = eventTypes(history);
    expect(types.slice(types.indexOf("ExecutionFailed"))).toEqual([
      "ExecutionFailed",
      "ExecutionRedriven",
      "TaskStateEntered",
      "TaskScheduled",
      "TaskStarted",
      "TaskSucceeded",
      "TaskStateExited",
      "ExecutionSucceeded",
    ]);
    await expect(t.runtime.engine.redrive(execution.arn)).rejects.toMatchObject({ name: "ExecutionNotRedrivable" });
  });
});
