import { describe, expect, it } from "vitest";
import type { Retrier, StateMachineDefinition, TaskState } from "../../definition.ts";
import type { Json } from "../../json.ts";
import type { Mocks } from "../../runner/mocks.ts";
import { runExecution, TaskError } from "../../runner/run-execution.ts";
import type { TaskRequest } from "../protocol.ts";
import { eventsOf, firstEvent, gapsInSeconds, typesOf } from "./test-support.ts";

// The lambda:invoke integration, recorded as Task* events (a function's own ARN records LambdaFunction* ones).
const LAMBDA = "arn:aws:states:::lambda:invoke";

function taskMachine(task: Partial<TaskState>, extraStates: StateMachineDefinition["States"] = {}): StateMachineDefinition {
  return {
    StartAt: "T",
    States: { T: { Type: "Task", Resource: LAMBDA, End: true, ...task } as TaskState, ...extraStates },
  };
}

const fails = (error: string, cause?: string) => ({ Throw: { Error: error, ...(cause !== undefined ? { Cause: cause } : {}) } });
const returns = (value: Json) => ({ Return: value });

describe("Task state with mocks", () => {
  it("outputs the mocked result and records Scheduled/Started/Succeeded events", async () => {
    const result = await runExecution(taskMachine({}), { input: { a: 1 }, mocks: { T: [returns({ r: 1 })] } });
    expect(result.status).toBe("SUCCEEDED");
    expect(result.output).toEqual({ r: 1 });
    expect(typesOf(result)).toEqual([
      "ExecutionStarted",
      "TaskStateEntered",
      "TaskScheduled",
      "TaskStarted",
      "TaskSucceeded",
      "TaskStateExited",
      "ExecutionSucceeded",
    ]);
    const scheduled = firstEvent(result, "TaskScheduled").taskScheduledEventDetails;
    expect(scheduled?.resourceType).toBe("lambda");
    expect(JSON.parse(scheduled?.parameters ?? "null")).toEqual({ a: 1 });
  });

  it("applies Parameters, ResultSelector, ResultPath and OutputPath around the result", async () => {
    const result = await runExecution(
      taskMachine({
        Parameters: { "id.$": "$.id" },
        ResultSelector: { "code.$": "$.Payload.code" },
        ResultPath: "$.res",
        OutputPath: "$.res",
      }),
      { input: { id: 7 }, mocks: { T: [returns({ Payload: { code: 200, body: "x" } })] } },
    );
    expect(result.output).toEqual({ code: 200 });
    expect(JSON.parse(firstEvent(result, "TaskScheduled").taskScheduledEventDetails?.parameters ?? "null")).toEqual({ id: 7 });
  });

  it("fails the execution with the thrown error and cause when nothing handles it", async () => {
    const result = await runExecution(taskMachine({}), { mocks: { T: [fails("Custom.Boom", "it broke")] } });
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("Custom.Boom");
    expect(result.cause).toBe("it broke");
    expect(firstEvent(result, "TaskFailed").taskFailedEventDetails).toMatchObject({ error: "Custom.Boom", cause: "it broke" });
    expect(typesOf(result).at(-1)).toBe("ExecutionFailed");
  });

  it("uses the last mock response for further invocations", async () => {
    const definition: StateMachineDefinition = {
      StartAt: "T",
      States: {
        T: { Type: "Task", Resource: LAMBDA, ResultPath: "$.last", Next: "Again" },
        Again: { Type: "Choice", Choices: [{ Variable: "$.n", NumericLessThan: 3, Next: "Inc" }], Default: "Done" },
        Inc: { Type: "Pass", Parameters: { "n.$": "States.MathAdd($.n, 1)" }, Next: "T" },
        Done: { Type: "Succeed" },
      },
    };
    const result = await runExecution(definition, { input: { n: 0 }, mocks: { T: [returns("first"), returns("later")] } });
    expect(result.output).toEqual({ n: 3, last: "later" });
    const outputs = eventsOf(result, "TaskSucceeded").map((e) => e.taskSucceededEventDetails?.output);
    expect(outputs).toEqual(['"first"', '"later"', '"later"', '"later"']);
  });
});

describe("Task state with handlers", () => {
  it("calls the handler for the resource with the effective input", async () => {
    const seen: Json[] = [];
    const result = await runExecution(taskMachine({ Parameters: { "v.$": "$.v" } }), {
      input: { v: 2, ignored: true },
      handlers: {
        [LAMBDA]: (input) => {
          seen.push(input);
          return { doubled: (input as { v: number }).v * 2 };
        },
      },
    });
    expect(seen).toEqual([{ v: 2 }]);
    expect(result.output).toEqual({ doubled: 4 });
  });

  it("turns a TaskError into the task's error and cause", async () => {
    const result = await runExecution(taskMachine({}), {
      handlers: {
        [LAMBDA]: () => {
          throw new TaskError("Handler.Failed", "details");
        },
      },
    });
    expect(result).toMatchObject({ status: "FAILED", error: "Handler.Failed", cause: "details" });
  });

  it("fails with States.TaskFailed when neither a mock nor a handler answers", async () => {
    const result = await runExecution(taskMachine({}));
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("States.TaskFailed");
  });
});

describe("Task Retry", () => {
  async function retried(retrier: Retrier, mocks: Mocks["T"], random?: () => number) {
    return runExecution(taskMachine({ Retry: [retrier] }), { mocks: { T: mocks }, ...(random ? { random } : {}) });
  }

  it("retries with IntervalSeconds growing by BackoffRate between attempts", async () => {
    const result = await retried({ ErrorEquals: ["E"], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 3 }, [
      fails("E"),
      fails("E"),
      fails("E"),
      returns("ok"),
    ]);
    expect(result.status).toBe("SUCCEEDED");
    expect(result.output).toBe("ok");
    expect(gapsInSeconds(eventsOf(result, "TaskScheduled"))).toEqual([2, 6, 18]);
  });

  it("uses AWS's defaults: 1 second, backoff 2, three attempts", async () => {
    const result = await retried({ ErrorEquals: ["E"] }, [fails("E")]);
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("E");
    expect(gapsInSeconds(eventsOf(result, "TaskScheduled"))).toEqual([1, 2, 4]);
  });

  it("caps each delay at MaxDelaySeconds", async () => {
    const result = await retried({ ErrorEquals: ["E"], IntervalSeconds: 10, BackoffRate: 10, MaxAttempts: 3, MaxDelaySeconds: 15 }, [
      fails("E"),
    ]);
    expect(gapsInSeconds(eventsOf(result, "TaskScheduled"))).toEqual([10, 15, 15]);
  });

  it("with JitterStrategy FULL scales each delay by the injected randomness", async () => {
    const result = await retried(
      { ErrorEquals: ["E"], IntervalSeconds: 4, BackoffRate: 2, MaxAttempts: 2, JitterStrategy: "FULL" },
      [fails("E")],
      () => 0.25,
    );
    expect(gapsInSeconds(eventsOf(result, "TaskScheduled"))).toEqual([1, 2]);
  });

  it("never retries with MaxAttempts 0", async () => {
    const result = await retried({ ErrorEquals: ["E"], MaxAttempts: 0 }, [fails("E"), returns("never")]);
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("E");
    expect(eventsOf(result, "TaskScheduled")).toHaveLength(1);
  });

  it("does not retry an error the retrier does not name", async () => {
    const result = await retried({ ErrorEquals: ["Other"] }, [fails("E"), returns("never")]);
    expect(result.error).toBe("E");
    expect(eventsOf(result, "TaskScheduled")).toHaveLength(1);
  });

  it("counts attempts per retrier and exposes the retry count in $$.State.RetryCount", async () => {
    const definition = taskMachine({
      Parameters: { "retry.$": "$$.State.RetryCount" },
      Retry: [
        { ErrorEquals: ["A"], MaxAttempts: 1, IntervalSeconds: 1 },
        { ErrorEquals: ["B"], MaxAttempts: 1, IntervalSeconds: 5 },
      ],
    });
    const result = await runExecution(definition, { mocks: { T: [fails("A"), fails("B"), returns("done")] } });
    expect(result.output).toBe("done");
    const scheduled = eventsOf(result, "TaskScheduled");
    expect(gapsInSeconds(scheduled)).toEqual([1, 5]);
    expect(scheduled.map((e) => JSON.parse(e.taskScheduledEventDetails?.parameters ?? "null"))).toEqual([
      { retry: 0 },
      { retry: 1 },
      { retry: 2 },
    ]);
  });

  it("falls through to Catch once the retries are used up", async () => {
    const result = await runExecution(
      taskMachine(
        { Retry: [{ ErrorEquals: ["E"], MaxAttempts: 2, IntervalSeconds: 1 }], Catch: [{ ErrorEquals: ["E"], Next: "Caught" }] },
        { Caught: { Type: "Pass", End: true } },
      ),
      { mocks: { T: [fails("E", "c")] } },
    );
    expect(result.status).toBe("SUCCEEDED");
    expect(result.output).toEqual({ Error: "E", Cause: "c" });
    expect(eventsOf(result, "TaskScheduled")).toHaveLength(3);
  });
});

describe("Task Catch", () => {
  const handlers = { Caught: { Type: "Pass", End: true }, Second: { Type: "Pass", Result: "second", End: true } } as const;

  it("places the error output at the catcher's ResultPath", async () => {
    const result = await runExecution(taskMachine({ Catch: [{ ErrorEquals: ["E"], ResultPath: "$.error", Next: "Caught" }] }, handlers), {
      input: { keep: 1 },
      mocks: { T: [fails("E", "why")] },
    });
    expect(result.output).toEqual({ keep: 1, error: { Error: "E", Cause: "why" } });
  });

  it("passes only the error output on without ResultPath, leaving out an absent Cause", async () => {
    const result = await runExecution(taskMachine({ Catch: [{ ErrorEquals: ["E"], Next: "Caught" }] }, handlers), {
      input: { keep: 1 },
      mocks: { T: [fails("E")] },
    });
    expect(result.output).toEqual({ Error: "E" });
  });

  it("catches any error with States.ALL", async () => {
    const result = await runExecution(taskMachine({ Catch: [{ ErrorEquals: ["States.ALL"], Next: "Caught" }] }, handlers), {
      mocks: { T: [fails("Whatever.Error")] },
    });
    expect(result.status).toBe("SUCCEEDED");
    expect(result.output).toEqual({ Error: "Whatever.Error" });
  });

  it("catches a task's error with States.TaskFailed", async () => {
    const result = await runExecution(taskMachine({ Catch: [{ ErrorEquals: ["States.TaskFailed"], Next: "Caught" }] }, handlers), {
      mocks: { T: [fails("Lambda.Unknown", "x")] },
    });
    expect(result.output).toEqual({ Error: "Lambda.Unknown", Cause: "x" });
  });

  it("does not catch States.Timeout with States.TaskFailed", async () => {
    const result = await runExecution(taskMachine({ Catch: [{ ErrorEquals: ["States.TaskFailed"], Next: "Caught" }] }, handlers), {
      mocks: { T: [fails("States.Timeout")] },
    });
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("States.Timeout");
  });

  it("uses the first catcher that matches, in order", async () => {
    const result = await runExecution(
      taskMachine(
        {
          Catch: [
            { ErrorEquals: ["Nope"], Next: "Caught" },
            { ErrorEquals: ["E", "F"], Next: "Second" },
            { ErrorEquals: ["States.ALL"], Next: "Caught" },
          ],
        },
        handlers,
      ),
      { mocks: { T: [fails("F")] } },
    );
    expect(result.output).toBe("second");
  });

  it("in JSONata, shapes the catcher's output with Output over $states.errorOutput and $states.input", async () => {
    const definition: StateMachineDefinition = {
      QueryLanguage: "JSONata",
      StartAt: "T",
      States: {
        T: {
          Type: "Task",
          Resource: LAMBDA,
          Catch: [
            {
              ErrorEquals: ["States.ALL"],
              Output: { err: "{% $states.errorOutput.Error %}", was: "{% $states.input.x %}" },
              Next: "Caught",
            },
          ],
          End: true,
        },
        Caught: { Type: "Pass", End: true },
      },
    };
    const result = await runExecution(definition, { input: { x: 5 }, mocks: { T: [fails("Bad.Thing", "c")] } });
    expect(result.output).toEqual({ err: "Bad.Thing", was: 5 });
  });

  it("lets an earlier States.ALL catcher win over a later exact match", async () => {
    const result = await runExecution(
      taskMachine(
        {
          Catch: [
            { ErrorEquals: ["States.ALL"], Next: "Caught" },
            { ErrorEquals: ["F"], Next: "Second" },
          ],
        },
        handlers,
      ),
      { mocks: { T: [fails("F")] } },
    );
    expect(result.output).toEqual({ Error: "F" });
  });
});

describe("Task fields", () => {
  it("records TimeoutSeconds and HeartbeatSeconds in TaskScheduled and hands them to the runner", async () => {
    const requests: TaskRequest[] = [];
    const result = await runExecution(taskMachine({ TimeoutSeconds: 30, HeartbeatSeconds: 10 }), {
      handlers: {
        [LAMBDA]: (_input, task) => {
          requests.push(task);
          return null;
        },
      },
    });
    expect(firstEvent(result, "TaskScheduled").taskScheduledEventDetails).toMatchObject({ timeoutInSeconds: 30, heartbeatInSeconds: 10 });
    expect(requests[0]).toMatchObject({ timeoutSeconds: 30, heartbeatSeconds: 10 });
  });

  it("reads TimeoutSecondsPath from the input", async () => {
    const result = await runExecution(taskMachine({ TimeoutSecondsPath: "$.t" }), { input: { t: 45 }, mocks: { T: [returns(null)] } });
    expect(firstEvent(result, "TaskScheduled").taskScheduledEventDetails?.timeoutInSeconds).toBe(45);
  });

  it("leaves timeoutInSeconds out when the state sets none", async () => {
    const result = await runExecution(taskMachine({}), { mocks: { T: [returns(null)] } });
    expect(firstEvent(result, "TaskScheduled").taskScheduledEventDetails).not.toHaveProperty("timeoutInSeconds");
  });

  it("puts the task token in $$.Task.Token for .waitForTaskToken and hands it to the handler", async () => {
    const resource = "arn:aws:states:::sqs:sendMessage.waitForTaskToken";
    const tokens: (string | undefined)[] = [];
    const result = await runExecution(
      {
        StartAt: "T",
        States: { T: { Type: "Task", Resource: resource, Parameters: { "token.$": "$$.Task.Token", body: "b" }, End: true } },
      },
      {
        handlers: {
          [resource]: (input, task) => {
            tokens.push(task.taskToken, (input as { token: string }).token);
            return { callback: "ok" };
          },
        },
      },
    );
    expect(result.output).toEqual({ callback: "ok" });
    expect(tokens[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(tokens[1]).toBe(tokens[0]);
    const scheduled = firstEvent(result, "TaskScheduled").taskScheduledEventDetails;
    expect(scheduled).toMatchObject({ resourceType: "sqs", resource: "sendMessage.waitForTaskToken" });
    expect(JSON.parse(scheduled?.parameters ?? "null")).toEqual({ token: tokens[0], body: "b" });
  });

  it("has no $$.Task.Token for a plain request-response task", async () => {
    const result = await runExecution(taskMachine({ Parameters: { "token.$": "$$.Task.Token" } }), { mocks: { T: [returns(null)] } });
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("States.Runtime");
  });

  it("in JSONata, evaluates Arguments and Output with $states.result", async () => {
    const result = await runExecution(
      {
        QueryLanguage: "JSONata",
        StartAt: "T",
        States: {
          T: {
            Type: "Task",
            Resource: LAMBDA,
            Arguments: { n: "{% $states.input.n * 10 %}" },
            Output: { got: "{% $states.result.v %}", was: "{% $states.input.n %}" },
            End: true,
          },
        },
      },
      { input: { n: 4 }, handlers: { [LAMBDA]: (input) => ({ v: (input as { n: number }).n + 1 }) } },
    );
    expect(result.output).toEqual({ got: 41, was: 4 });
  });
});
