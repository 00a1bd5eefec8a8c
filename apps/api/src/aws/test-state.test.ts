import { TestStateCommand, type TestStateCommandInput } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AwsTestServer, rejection, startAwsTestServer } from "./test-server.ts";

let s: AwsTestServer;
beforeAll(async () => {
  s = await startAwsTestServer();
});
afterAll(() => s.close());

const test = (input: Omit<TestStateCommandInput, "definition"> & { definition: unknown }) =>
  s.client.send(
    new TestStateCommand({
      ...input,
      definition: typeof input.definition === "string" ? input.definition : JSON.stringify(input.definition),
    }),
  );

describe("TestState", () => {
  it("runs a Pass state and names the next state", async () => {
    const result = await test({
      definition: { Type: "Pass", Parameters: { "sum.$": "States.MathAdd($.a, $.b)" }, Next: "Report" },
      input: '{"a":2,"b":3}',
    });
    expect(result).toMatchObject({ status: "SUCCEEDED", nextState: "Report" });
    expect(JSON.parse(result.output!)).toEqual({ sum: 5 });
    expect(result.inspectionData).toBeUndefined();
  });

  it("follows a Choice rule to its target", async () => {
    const definition = { Type: "Choice", Choices: [{ Variable: "$.n", NumericGreaterThan: 10, Next: "Big" }], Default: "Small" };
    expect((await test({ definition, input: '{"n":11}' })).nextState).toBe("Big");
    expect((await test({ definition, input: '{"n":1}' })).nextState).toBe("Small");
  });

  it("a state with End has no next state, and a Fail state fails with its error and cause", async () => {
    const end = await test({ definition: { Type: "Pass", End: true }, input: '"x"' });
    expect(end).toMatchObject({ status: "SUCCEEDED", output: '"x"' });
    expect(end.nextState).toBeUndefined();
    const fail = await test({ definition: { Type: "Fail", Error: "Custom.Error", Cause: "went wrong" } });
    expect(fail).toMatchObject({ status: "FAILED", error: "Custom.Error", cause: "went wrong" });
  });

  it("a Task state runs on its mocked result", async () => {
    const definition = {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Parameters: { FunctionName: "f", "Payload.$": "$" },
      ResultSelector: { "v.$": "$.Payload" },
      Next: "After",
    };
    const result = await test({ definition, input: "{}", mock: { result: '{"Payload":42}' }, inspectionLevel: "DEBUG" });
    expect(result).toMatchObject({ status: "SUCCEEDED", nextState: "After" });
    expect(JSON.parse(result.output!)).toEqual({ v: 42 });
    expect(JSON.parse(result.inspectionData!.input!)).toEqual({});
    expect(JSON.parse(result.inspectionData!.afterParameters!)).toEqual({ FunctionName: "f", Payload: {} });
    expect(JSON.parse(result.inspectionData!.result!)).toEqual({ Payload: 42 });
  });

  it("a mocked error is RETRIABLE when a retrier applies, with its index and backoff", async () => {
    const definition = {
      Type: "Task",
      Resource: "arn:aws:lambda:us-east-1:123456789012:function:f",
      Retry: [
        { ErrorEquals: ["Other.Error"], MaxAttempts: 5 },
        { ErrorEquals: ["Flaky.Error"], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 3 },
      ],
      End: true,
    };
    const mock = { errorOutput: { error: "Flaky.Error", cause: "try again" } };
    const first = await test({ definition, mock });
    expect(first).toMatchObject({ status: "RETRIABLE", error: "Flaky.Error", cause: "try again" });
    expect(first.inspectionData?.errorDetails).toEqual({ retryIndex: 1, retryBackoffIntervalSeconds: 2 });
    const third = await test({ definition, mock, stateConfiguration: { retrierRetryCount: 2 } });
    expect(third.inspectionData?.errorDetails).toEqual({ retryIndex: 1, retryBackoffIntervalSeconds: 18 });
    const exhausted = await test({ definition, mock, stateConfiguration: { retrierRetryCount: 3 } });
    expect(exhausted).toMatchObject({ status: "FAILED", error: "Flaky.Error" });
  });

  it("a caught error is CAUGHT_ERROR, leading where its catcher says", async () => {
    const definition = {
      Type: "Task",
      Resource: "arn:aws:lambda:us-east-1:123456789012:function:f",
      Catch: [
        { ErrorEquals: ["Other.Error"], Next: "Elsewhere" },
        { ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Recover" },
      ],
      Next: "Done",
    };
    const result = await test({ definition, input: '{"order":1}', mock: { errorOutput: { error: "Boom", cause: "bang" } } });
    expect(result).toMatchObject({ status: "CAUGHT_ERROR", error: "Boom", cause: "bang", nextState: "Recover" });
    expect(JSON.parse(result.output!)).toEqual({ order: 1, error: { Error: "Boom", Cause: "bang" } });
    expect(result.inspectionData?.errorDetails).toEqual({ catchIndex: 1 });
  });

  it("tests one state of a whole machine by name, in the machine's query language", async () => {
    const definition = {
      QueryLanguage: "JSONata",
      StartAt: "First",
      States: {
        First: { Type: "Pass", Next: "Second" },
        Second: { Type: "Pass", Output: "{% $states.input.x * 10 %}", Next: "Done" },
        Done: { Type: "Succeed" },
      },
    };
    const result = await test({ definition, stateName: "Second", input: '{"x":4}' });
    expect(result).toMatchObject({ status: "SUCCEEDED", output: "40", nextState: "Done" });
    expect((await rejection(test({ definition, stateName: "Missing" }))).message).toBe("State not found in definition");
  });

  it("refuses invalid definitions, inputs and what it cannot run", async () => {
    expect((await rejection(test({ definition: { Type: "Pass", Next: 3 } }))).name).toBe("InvalidDefinition");
    expect((await rejection(test({ definition: "{nope" }))).name).toBe("InvalidDefinition");
    expect((await rejection(test({ definition: { Type: "Pass", End: true }, input: "{bad" }))).name).toBe("InvalidExecutionInput");
    const unmocked = await rejection(
      test({ definition: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:f", End: true } }),
    );
    expect(unmocked.name).toBe("ValidationException");
    expect(unmocked.message).toContain("mock");
    const mockedPass = await rejection(test({ definition: { Type: "Pass", End: true }, mock: { result: "{}" } }));
    expect(mockedPass.message).toContain("State type 'Pass' is not supported when a mock is specified");
    const variables = await rejection(test({ definition: { Type: "Pass", End: true }, variables: '{"a":1}' }));
    expect(variables.message).toContain("variables");
  });
});
