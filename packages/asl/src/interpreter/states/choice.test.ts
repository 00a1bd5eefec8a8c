import { describe, expect, it } from "vitest";
import type { ChoiceState, StateMachineDefinition } from "../../definition.ts";
import type { Json } from "../../json.ts";
import { runExecution } from "../../runner/run-execution.ts";
import { typesOf } from "./test-support.ts";

const targets = {
  Small: { Type: "Pass", Result: "small", End: true },
  Big: { Type: "Pass", Result: "big", End: true },
  Other: { Type: "Pass", Result: "other", End: true },
} as const;

function choiceMachine(choice: Omit<ChoiceState, "Type">, language?: "JSONata"): StateMachineDefinition {
  return { ...(language ? { QueryLanguage: language } : {}), StartAt: "C", States: { C: { Type: "Choice", ...choice }, ...targets } };
}

const jsonPathChoice = choiceMachine({
  Choices: [
    { Variable: "$.n", NumericLessThan: 10, Next: "Small" },
    {
      And: [
        { Variable: "$.n", NumericGreaterThanEquals: 10 },
        { Variable: "$.kind", StringEquals: "big" },
      ],
      Next: "Big",
    },
  ],
  Default: "Other",
});

describe("Choice state (JSONPath)", () => {
  it.each([
    [{ n: 3 }, "small"],
    [{ n: 10, kind: "big" }, "big"],
    [{ n: 10, kind: "huge" }, "other"],
  ] as [Json, string][])("routes %j to %s", async (input, expected) => {
    const result = await runExecution(jsonPathChoice, { input });
    expect(result.status).toBe("SUCCEEDED");
    expect(result.output).toBe(expected);
  });

  it("takes the first matching rule when several match", async () => {
    const definition = choiceMachine({
      Choices: [
        { Variable: "$.n", NumericGreaterThan: 0, Next: "Big" },
        { Variable: "$.n", NumericGreaterThan: 1, Next: "Small" },
      ],
    });
    expect((await runExecution(definition, { input: { n: 5 } })).output).toBe("big");
  });

  it("passes its input on through InputPath and OutputPath", async () => {
    const definition: StateMachineDefinition = {
      StartAt: "C",
      States: {
        C: { Type: "Choice", InputPath: "$.inner", OutputPath: "$.v", Choices: [{ Variable: "$.v", IsPresent: true, Next: "Done" }] },
        Done: { Type: "Succeed" },
      },
    };
    const result = await runExecution(definition, { input: { inner: { v: [1] } } });
    expect(result.output).toEqual([1]);
    expect(typesOf(result)).toEqual([
      "ExecutionStarted",
      "ChoiceStateEntered",
      "ChoiceStateExited",
      "SucceedStateEntered",
      "SucceedStateExited",
      "ExecutionSucceeded",
    ]);
  });

  it("fails with States.NoChoiceMatched when no rule matches and there is no Default", async () => {
    const definition = choiceMachine({ Choices: [{ Variable: "$.n", NumericEquals: 1, Next: "Small" }] });
    const result = await runExecution(definition, { input: { n: 2 } });
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("States.NoChoiceMatched");
    expect(result.cause).toBe("No Matches!");
    expect(typesOf(result)).toEqual(["ExecutionStarted", "ChoiceStateEntered", "ExecutionFailed"]);
  });
});

describe("Choice state (JSONata)", () => {
  it("routes by the first Condition that is true, with the rule's Output", async () => {
    const definition = choiceMachine(
      {
        Choices: [
          { Condition: "{% $states.input.n < 10 %}", Next: "Small", Output: { chose: "small rule" } },
          { Condition: "{% $states.input.n >= 10 %}", Next: "Big" },
        ],
        Default: "Other",
      },
      "JSONata",
    );
    const result = await runExecution(definition, { input: { n: 2 } });
    expect(result.status).toBe("SUCCEEDED");
    // Small is a JSONata Pass with no Output, so it passes the rule's Output on.
    expect(result.output).toEqual({ chose: "small rule" });
  });

  it("takes Default with the state's own Output when no Condition holds", async () => {
    const definition = choiceMachine(
      { Choices: [{ Condition: "{% false %}", Next: "Small" }], Default: "Other", Output: { via: "default" } },
      "JSONata",
    );
    const result = await runExecution(definition, { input: {} });
    expect(result.output).toEqual({ via: "default" });
  });

  it("fails with States.QueryEvaluationError when a Condition is not boolean", async () => {
    const definition = choiceMachine({ Choices: [{ Condition: "{% $states.input.n %}", Next: "Small" }], Default: "Other" }, "JSONata");
    const result = await runExecution(definition, { input: { n: 1 } });
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("States.QueryEvaluationError");
    expect(result.cause).toContain("An error occurred while executing the state 'C' (entered at the event id #2).");
    expect(typesOf(result)).toEqual(["ExecutionStarted", "ChoiceStateEntered", "EvaluationFailed", "ExecutionFailed"]);
  });

  it("fails with States.NoChoiceMatched when no Condition holds and there is no Default", async () => {
    const definition = choiceMachine({ Choices: [{ Condition: "{% false %}", Next: "Small" }] }, "JSONata");
    const result = await runExecution(definition, { input: {} });
    expect(result.error).toBe("States.NoChoiceMatched");
  });
});
