/**
 * Which history events a Task attempt records, by the kind of Resource: a Lambda function's own ARN
 * records LambdaFunction* events, a service integration Task* events, and a callback or job task
 * records TaskSubmitted once its request is taken.
 */
import { describe, expect, it } from "vitest";
import type { StateMachineDefinition, TaskState } from "../../definition.ts";
import { parseMocks } from "../../runner/mocks.ts";
import { runExecution } from "../../runner/run-execution.ts";
import { firstEvent, typesOf } from "./test-support.ts";

const FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:resize";

function oneTask(task: Partial<TaskState>): StateMachineDefinition {
  return { StartAt: "T", States: { T: { Type: "Task", Resource: FUNCTION_ARN, End: true, ...task } as TaskState } };
}

describe("a Lambda function ARN as the Resource", () => {
  it("records LambdaFunctionScheduled/Started/Succeeded with the function's input and output", async () => {
    const result = await runExecution(oneTask({ TimeoutSeconds: 30 }), {
      input: { photo: "a.jpg" },
      mocks: { T: [{ Return: { ok: true } }] },
    });
    expect(typesOf(result)).toEqual([
      "ExecutionStarted",
      "TaskStateEntered",
      "LambdaFunctionScheduled",
      "LambdaFunctionStarted",
      "LambdaFunctionSucceeded",
      "TaskStateExited",
      "ExecutionSucceeded",
    ]);
    expect(firstEvent(result, "LambdaFunctionScheduled").lambdaFunctionScheduledEventDetails).toEqual({
      resource: FUNCTION_ARN,
      input: '{"photo":"a.jpg"}',
      inputDetails: { truncated: false },
      timeoutInSeconds: 30,
    });
    expect(firstEvent(result, "LambdaFunctionSucceeded").lambdaFunctionSucceededEventDetails).toEqual({
      output: '{"ok":true}',
      outputDetails: { truncated: false },
    });
  });

  it("records LambdaFunctionFailed with the error and cause, and retries schedule the function again", async () => {
    const result = await runExecution(oneTask({ Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 1, MaxAttempts: 1 }] }), {
      mocks: { T: [{ Throw: { Error: "Lambda.Unknown", Cause: "out of memory" } }] },
    });
    expect(result.error).toBe("Lambda.Unknown");
    expect(typesOf(result).filter((t) => t.startsWith("Lambda"))).toEqual([
      "LambdaFunctionScheduled",
      "LambdaFunctionStarted",
      "LambdaFunctionFailed",
      "LambdaFunctionScheduled",
      "LambdaFunctionStarted",
      "LambdaFunctionFailed",
    ]);
    expect(firstEvent(result, "LambdaFunctionFailed").lambdaFunctionFailedEventDetails).toEqual({
      error: "Lambda.Unknown",
      cause: "out of memory",
    });
  });

  it("keeps Task* events for the lambda:invoke integration", async () => {
    const result = await runExecution(oneTask({ Resource: "arn:aws:states:::lambda:invoke" }), { mocks: { T: [{ Return: {} }] } });
    expect(typesOf(result)).toContain("TaskScheduled");
    expect(typesOf(result).some((t) => t.startsWith("Lambda"))).toBe(false);
  });
});

describe("a callback task (.waitForTaskToken)", () => {
  const callback = oneTask({
    Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    Parameters: { QueueUrl: "q", MessageBody: { "token.$": "$$.Task.Token" } },
  });

  it("records TaskSubmitted between TaskStarted and the callback's outcome", async () => {
    const result = await runExecution(callback, { mocks: { T: [{ Return: "approved" }] } });
    expect(typesOf(result)).toEqual([
      "ExecutionStarted",
      "TaskStateEntered",
      "TaskScheduled",
      "TaskStarted",
      "TaskSubmitted",
      "TaskSucceeded",
      "TaskStateExited",
      "ExecutionSucceeded",
    ]);
    expect(firstEvent(result, "TaskSubmitted").taskSubmittedEventDetails).toEqual({
      resourceType: "sqs",
      resource: "sendMessage.waitForTaskToken",
    });
  });

  it("fails with no error name and no cause when the callback gives none (a mock's Error: null)", async () => {
    const mocks = parseMocks({ T: [{ Throw: { Error: null, Cause: null } }] });
    const result = await runExecution(callback, { mocks });
    expect(result.status).toBe("FAILED");
    expect(result.error).toBeNull();
    expect(result.cause).toBeNull();
    expect(typesOf(result).slice(-3)).toEqual(["TaskSubmitted", "TaskFailed", "ExecutionFailed"]);
    expect(firstEvent(result, "TaskFailed").taskFailedEventDetails).toEqual({
      resourceType: "sqs",
      resource: "sendMessage.waitForTaskToken",
    });
  });

  it("records no TaskSubmitted for a request-response task", async () => {
    const result = await runExecution(oneTask({ Resource: "arn:aws:states:::sqs:sendMessage" }), { mocks: { T: [{ Return: {} }] } });
    expect(typesOf(result)).not.toContain("TaskSubmitted");
  });
});
