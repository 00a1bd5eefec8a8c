import { assertWellFormedHistory, createTestRuntime, eventTypes, type TestRuntime } from "@stepwise/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TaskFailure } from "../worker/task-handler.ts";

const lambda = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

describe("a team runs task workflows on workers", () => {
  let t: TestRuntime;
  const calls: Record<string, number> = {};
  const count = (name: string) => {
    calls[name] = (calls[name] ?? 0) + 1;
    return calls[name];
  };

  beforeAll(async () => {
    t = await createTestRuntime();
    t.worker({
      handlers: {
        double: (input) => ({ value: (input as { value: number }).value * 2 }),
        flaky: () => {
          if (count("flaky") < 3) throw new TaskFailure("Flaky.Error", "try again");
          return { ok: true };
        },
        broken: () => {
          throw new TaskFailure("Payment.Declined", "card expired");
        },
        notJson: () => (() => 1) as never,
        nulChar: () => ({ text: "a\u0000b" }),
        nothing: () => undefined,
        nulError: () => {
          throw new TaskFailure("Bad\u0000Name", "cause with \u0000 in it");
        },
        slow: (_input, ctx) =>
          new Promise((resolve, reject) => {
            const timer = setTimeout(() => resolve({ late: true }), 5000);
            ctx.signal.addEventListener("abort", () => {
              clearTimeout(timer);
              count("slow-aborted");
              reject(new Error("aborted"));
            });
          }),
      },
    });
    t.scheduler();
  });
  afterAll(() => t.close());

  it("a chain of tasks with Parameters and ResultPath succeeds with every event persisted", async () => {
    const arn = await t.createMachine({
      StartAt: "A",
      States: {
        A: { Type: "Task", Resource: lambda("double"), ResultPath: "$.a", Next: "B" },
        B: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Parameters: { FunctionName: "double", "Payload.$": "$.a" },
          ResultSelector: { "v.$": "$.Payload.value" },
          ResultPath: "$.b",
          End: true,
        },
      },
    });
    const { execution, history } = await t.run(arn, { value: 3 });
    expect(execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.output as string)).toEqual({ value: 3, a: { value: 6 }, b: { v: 12 } });
    assertWellFormedHistory(history);
    expect(eventTypes(history)).toEqual([
      "ExecutionStarted",
      "TaskStateEntered",
      "LambdaFunctionScheduled",
      "LambdaFunctionStarted",
      "LambdaFunctionSucceeded",
      "TaskStateExited",
      "TaskStateEntered",
      "TaskScheduled",
      "TaskStarted",
      "TaskSucceeded",
      "TaskStateExited",
      "ExecutionSucceeded",
    ]);
  });

  it("retries with backoff until the task succeeds", async () => {
    const arn = await t.createMachine({
      StartAt: "F",
      States: {
        F: {
          Type: "Task",
          Resource: lambda("flaky"),
          Retry: [{ ErrorEquals: ["Flaky.Error"], IntervalSeconds: 1, BackoffRate: 1, MaxAttempts: 3 }],
          End: true,
        },
      },
    });
    const { execution, history } = await t.run(arn);
    expect(execution.status).toBe("SUCCEEDED");
    const scheduled = history.filter((e) => e.type === "LambdaFunctionScheduled").map((e) => Date.parse(e.timestamp));
    expect(scheduled).toHaveLength(3);
    expect(scheduled[1]! - scheduled[0]!).toBeGreaterThanOrEqual(900);
  });

  it("a caught task error routes to the catcher's state with the error output", async () => {
    const arn = await t.createMachine({
      StartAt: "Charge",
      States: {
        Charge: {
          Type: "Task",
          Resource: lambda("broken"),
          Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Refund" }],
          End: true,
        },
        Refund: { Type: "Pass", End: true },
      },
    });
    const { execution } = await t.run(arn, { order: 1 });
    expect(execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.output as string)).toEqual({ order: 1, error: { Error: "Payment.Declined", Cause: "card expired" } });
  });

  it("an uncaught task error fails the execution with its name", async () => {
    const arn = await t.createMachine({ StartAt: "Charge", States: { Charge: { Type: "Task", Resource: lambda("broken"), End: true } } });
    const { execution, history } = await t.run(arn);
    expect(execution).toMatchObject({ status: "FAILED", error: "Payment.Declined", cause: "card expired" });
    expect(eventTypes(history).slice(-2)).toEqual(["LambdaFunctionFailed", "ExecutionFailed"]);
  });

  it("a handler that returns something that is not JSON fails with a named error", async () => {
    const arn = await t.createMachine({ StartAt: "T", States: { T: { Type: "Task", Resource: lambda("notJson"), End: true } } });
    const { execution } = await t.run(arn);
    expect(execution.status).toBe("FAILED");
    expect(execution.error).toBe("States.Runtime");
  });

  it("a handler result or error holding U+0000, which Postgres cannot store, fails the task with a named error instead of hanging", async () => {
    const result = await t.createMachine({ StartAt: "T", States: { T: { Type: "Task", Resource: lambda("nulChar"), End: true } } });
    const { execution } = await t.run(result);
    expect(execution).toMatchObject({ status: "FAILED", error: "States.Runtime" });
    expect(execution.cause).toContain("U+0000");
    const error = await t.createMachine({ StartAt: "T", States: { T: { Type: "Task", Resource: lambda("nulError"), End: true } } });
    const failed = await t.run(error);
    expect(failed.execution).toMatchObject({ status: "FAILED", error: "States.Runtime" });
    expect(failed.execution.cause).toContain("U+0000");
  });

  it("lambda:invoke of a function that returns nothing gives Lambda's envelope with a null Payload", async () => {
    const arn = await t.createMachine({
      StartAt: "I",
      States: { I: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "nothing" }, End: true } },
    });
    const { execution } = await t.run(arn);
    expect(JSON.parse(execution.output as string)).toEqual({ ExecutedVersion: "$LATEST", Payload: null, StatusCode: 200 });
  });

  it("an unknown resource ends in a named error instead of hanging", async () => {
    const arn = await t.createMachine({
      StartAt: "T",
      States: { T: { Type: "Task", Resource: "arn:aws:states:::dynamodb:getItem", End: true } },
    });
    const { execution } = await t.run(arn);
    expect(execution).toMatchObject({ status: "FAILED", error: "States.Runtime" });
    expect(execution.cause).toContain("dynamodb:getItem");
  });

  it("a task over its TimeoutSeconds fails with States.Timeout and its handler is told to stop", async () => {
    const arn = await t.createMachine({
      StartAt: "T",
      States: { T: { Type: "Task", Resource: lambda("slow"), TimeoutSeconds: 1, End: true } },
    });
    const { execution, history } = await t.run(arn);
    expect(execution).toMatchObject({ status: "FAILED", error: "States.Timeout" });
    expect(eventTypes(history)).toContain("LambdaFunctionTimedOut");
    await expect.poll(() => calls["slow-aborted"] ?? 0).toBeGreaterThan(0);
  });

  it("StopExecution aborts a running execution at once", async () => {
    const arn = await t.createMachine({ StartAt: "T", States: { T: { Type: "Task", Resource: lambda("slow"), End: true } } });
    const started = await t.runtime.engine.start({ stateMachineArn: arn, input: "{}" });
    await new Promise((r) => setTimeout(r, 300));
    await t.runtime.engine.stop(started.executionArn, "Operator.Stop", "no longer needed");
    const { execution, history } = await t.waitFor(started.executionArn);
    expect(execution).toMatchObject({ status: "ABORTED", error: "Operator.Stop" });
    expect(eventTypes(history).at(-1)).toBe("ExecutionAborted");
  });
});
