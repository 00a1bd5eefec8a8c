import { describe, expect, it } from "vitest";
import type { FailState, StateMachineDefinition } from "../../definition.ts";
import type { Json } from "../../json.ts";
import { runExecution } from "../../runner/run-execution.ts";
import { typesOf } from "./test-support.ts";

function failMachine(fail: Omit<FailState, "Type">, language?: "JSONata"): StateMachineDefinition {
  return { ...(language ? { QueryLanguage: language } : {}), StartAt: "F", States: { F: { Type: "Fail", ...fail } } };
}

async function failure(fail: Omit<FailState, "Type">, input: Json = {}, language?: "JSONata") {
  const result = await runExecution(failMachine(fail, language), { input });
  expect(result.status).toBe("FAILED");
  return { error: result.error, cause: result.cause, types: typesOf(result) };
}

describe("Succeed state", () => {
  it("ends the execution with its input", async () => {
    const result = await runExecution({ StartAt: "S", States: { S: { Type: "Succeed" } } }, { input: { a: [1] } });
    expect(result).toMatchObject({ status: "SUCCEEDED", output: { a: [1] } });
    expect(typesOf(result)).toEqual(["ExecutionStarted", "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded"]);
  });

  it("applies InputPath and OutputPath", async () => {
    const result = await runExecution(
      { StartAt: "S", States: { S: { Type: "Succeed", InputPath: "$.a", OutputPath: "$.b" } } },
      { input: { a: { b: 2 } } },
    );
    expect(result.output).toBe(2);
  });

  it("in JSONata, outputs its Output expression", async () => {
    const result = await runExecution(
      { QueryLanguage: "JSONata", StartAt: "S", States: { S: { Type: "Succeed", Output: "{% $states.input.x & '!' %}" } } },
      { input: { x: "hi" } },
    );
    expect(result.output).toBe("hi!");
  });
});

describe("Fail state", () => {
  it("fails the execution with its literal Error and Cause", async () => {
    expect(await failure({ Error: "My.Error", Cause: "my cause" })).toEqual({
      error: "My.Error",
      cause: "my cause",
      types: ["ExecutionStarted", "FailStateEntered", "ExecutionFailed"],
    });
  });

  it("may carry neither Error nor Cause", async () => {
    const result = await runExecution(failMachine({}));
    expect(result.status).toBe("FAILED");
    expect(result.error).toBeNull();
    expect(result.cause).toBeNull();
    expect(result.events.at(-1)?.executionFailedEventDetails).toEqual({});
  });

  it("reads ErrorPath and CausePath from its input", async () => {
    expect(await failure({ ErrorPath: "$.e", CausePath: "$.detail.c" }, { e: "From.Input", detail: { c: "because" } })).toMatchObject({
      error: "From.Input",
      cause: "because",
    });
  });

  it("evaluates intrinsic functions in ErrorPath and CausePath", async () => {
    expect(
      await failure({ ErrorPath: "States.Format('Err.{}', $.code)", CausePath: "States.Format('code {} failed', $.code)" }, { code: 42 }),
    ).toMatchObject({
      error: "Err.42",
      cause: "code 42 failed",
    });
  });

  it("in JSONata, evaluates Error and Cause expressions", async () => {
    expect(
      await failure(
        { Error: "{% 'E.' & $states.input.kind %}", Cause: "{% $string($states.input.n + 1) %}" },
        { kind: "X", n: 1 },
        "JSONata",
      ),
    ).toMatchObject({
      error: "E.X",
      cause: "2",
    });
  });

  it("in JSONata, fails with States.QueryEvaluationError when Error evaluates to nothing", async () => {
    const { error } = await failure({ Error: "{% $states.input.missing %}" }, {}, "JSONata");
    expect(error).toBe("States.QueryEvaluationError");
  });
});
