import { createTestRuntime, type TestRuntime } from "@stepwise/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("a workflow starts other workflows", () => {
  let t: TestRuntime;
  let child: string;
  let failing: string;
  let answering: string;

  beforeAll(async () => {
    t = await createTestRuntime();
    t.worker({
      handlers: {
        add: (input) => ({ sum: (input as { a: number; b: number }).a + (input as { a: number; b: number }).b }),
        // The child answers its parent's task early, with the token the parent passed it.
        answerParent: async (input) => {
          const { parentToken } = input as { parentToken: string };
          await t.runtime.engine.completeTask(parentToken, { output: { answeredBy: "child" } });
          return {};
        },
      },
    });
    t.scheduler();
    child = await t.createMachine(
      { StartAt: "Add", States: { Add: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:add", End: true } } },
      "child",
    );
    answering = await t.createMachine(
      {
        // The pause lets the parent record TaskSubmitted before it is answered, as a real child would.
        StartAt: "Pause",
        States: {
          Pause: { Type: "Wait", Seconds: 1, Next: "Answer" },
          Answer: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:answerParent", Next: "Finish" },
          Finish: { Type: "Pass", Result: { childFinished: true }, End: true },
        },
      },
      "answering",
    );
    failing = await t.createMachine({ StartAt: "F", States: { F: { Type: "Fail", Error: "Child.Broken", Cause: "bad" } } }, "failing");
  });
  afterAll(() => t.close());

  const parent = (resource: string, machine: string) =>
    t.createMachine({
      StartAt: "Call",
      States: {
        Call: { Type: "Task", Resource: resource, Parameters: { StateMachineArn: machine, Input: { "a.$": "$.a", b: 2 } }, End: true },
      },
    });

  it(".sync:2 waits for the child and returns its output as JSON", async () => {
    const { execution } = await t.run(await parent("arn:aws:states:::states:startExecution.sync:2", child), { a: 40 });
    expect(execution.status).toBe("SUCCEEDED");
    const output = JSON.parse(execution.output as string);
    expect(output).toMatchObject({ Status: "SUCCEEDED", Output: { sum: 42 }, Input: { a: 40, b: 2 }, StateMachineArn: child });
  });

  it(".sync returns the child's output as JSON text", async () => {
    const { execution } = await t.run(await parent("arn:aws:states:::states:startExecution.sync", child), { a: 1 });
    expect(JSON.parse(execution.output as string).Output).toBe(JSON.stringify({ sum: 3 }));
  });

  it("without .sync the task ends at once with the child's ARN", async () => {
    const { execution } = await t.run(await parent("arn:aws:states:::states:startExecution", child), { a: 1 });
    const output = JSON.parse(execution.output as string) as { ExecutionArn: string };
    expect(output.ExecutionArn).toContain(":execution:child:");
    const finished = await t.waitFor(output.ExecutionArn);
    expect(JSON.parse(finished.execution.output as string)).toEqual({ sum: 3 });
  });

  it("a failed child fails the parent's task with States.TaskFailed", async () => {
    const { execution } = await t.run(await parent("arn:aws:states:::states:startExecution.sync:2", failing), { a: 1 });
    expect(execution).toMatchObject({ status: "FAILED", error: "States.TaskFailed" });
    expect(JSON.parse(execution.cause as string)).toMatchObject({ Status: "FAILED", Error: "Child.Broken", Cause: "bad" });
  });

  it("a .sync task has $$.Task.Token, and SendTaskSuccess with it completes the task before the child ends", async () => {
    const machine = await t.createMachine({
      StartAt: "Call",
      States: {
        Call: {
          Type: "Task",
          Resource: "arn:aws:states:::states:startExecution.sync:2",
          Parameters: { StateMachineArn: answering, Input: { "parentToken.$": "$$.Task.Token" } },
          End: true,
        },
      },
    });
    const { execution, history } = await t.run(machine, {});
    expect(execution.status).toBe("SUCCEEDED");
    // The first outcome wins: the token's, not the child's description.
    expect(JSON.parse(execution.output as string)).toEqual({ answeredBy: "child" });
    const types = history.map((e) => e.type);
    expect(types.filter((type) => type.startsWith("Task") && !type.startsWith("TaskState"))).toEqual([
      "TaskScheduled",
      "TaskStarted",
      "TaskSubmitted",
      "TaskSucceeded",
    ]);
    const submitted = history.find((e) => e.type === "TaskSubmitted")?.taskSubmittedEventDetails;
    expect(JSON.parse(submitted?.output ?? "null")).toMatchObject({ ExecutionArn: expect.stringContaining(":execution:answering:") });
  });
});
