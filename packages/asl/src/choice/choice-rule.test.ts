import { describe, expect, it } from "vitest";
import type { ChoiceExpression } from "../definition.ts";
import { StatesError } from "../errors.ts";
import type { EvaluationScope } from "../evaluation-scope.ts";
import type { Json } from "../json.ts";
import { CHOICE_OPERATORS, evaluateChoiceRule } from "./choice-rule.ts";

const scope: EvaluationScope = { context: { Execution: { Name: "run" } }, variables: { threshold: 10, tags: ["a"] }, random: () => 0 };
const input: Json = { type: "Private", value: 22, limit: 30, name: null, when: "2016-03-14T01:59:00Z" };

const evaluate = (rule: ChoiceExpression, data: Json = input) => evaluateChoiceRule(rule, data, scope);

function failure(rule: ChoiceExpression): StatesError {
  try {
    evaluate(rule);
  } catch (error) {
    if (error instanceof StatesError) return error;
    throw error;
  }
  throw new Error("expected a failure");
}

describe("evaluateChoiceRule", () => {
  it("compares the value at Variable", () => {
    expect(evaluate({ Variable: "$.type", StringEquals: "Private" })).toBe(true);
    expect(evaluate({ Variable: "$.value", NumericLessThan: 20 })).toBe(false);
    expect(evaluate({ Variable: "$.when", TimestampGreaterThan: "2016-01-01T00:00:00Z" })).toBe(true);
  });

  it("reads the other side of a …Path operator from the input, the context or a variable", () => {
    expect(evaluate({ Variable: "$.value", NumericLessThanPath: "$.limit" })).toBe(true);
    expect(evaluate({ Variable: "$.value", NumericGreaterThanPath: "$threshold" })).toBe(true);
    expect(evaluate({ Variable: "$$.Execution.Name", StringEqualsPath: "$$.Execution.Name" })).toBe(true);
  });

  it("reads Variable from the context object and from variables", () => {
    expect(evaluate({ Variable: "$threshold", NumericEquals: 10 })).toBe(true);
    expect(evaluate({ Variable: "$tags[0]", StringEquals: "a" })).toBe(true);
  });

  it("combines rules with And, Or and Not", () => {
    const inTwenties: ChoiceExpression = {
      And: [
        { Variable: "$.value", NumericGreaterThanEquals: 20 },
        { Variable: "$.value", NumericLessThan: 30 },
      ],
    };
    expect(evaluate(inTwenties)).toBe(true);
    expect(evaluate({ Not: inTwenties })).toBe(false);
    expect(evaluate({ Or: [{ Not: inTwenties }, { Variable: "$.type", StringEquals: "Public" }] })).toBe(false);
    expect(
      evaluate({
        Or: [
          { Variable: "$.type", StringMatches: "Pri*" },
          { Variable: "$.missing", IsPresent: true },
        ],
      }),
    ).toBe(true);
  });

  it("answers IsPresent and IsNull without failing", () => {
    expect(evaluate({ Variable: "$.missing", IsPresent: false })).toBe(true);
    expect(evaluate({ Variable: "$.name", IsPresent: true })).toBe(true);
    expect(evaluate({ Variable: "$.name", IsNull: true })).toBe(true);
    expect(evaluate({ Variable: "$nope", IsPresent: true })).toBe(false);
  });

  it("stops And and Or at the first decisive rule", () => {
    expect(
      evaluate({
        And: [
          { Variable: "$.type", StringEquals: "other" },
          { Variable: "$.missing", StringEquals: "x" },
        ],
      }),
    ).toBe(false);
    expect(
      evaluate({
        Or: [
          { Variable: "$.type", StringEquals: "Private" },
          { Variable: "$.missing", StringEquals: "x" },
        ],
      }),
    ).toBe(true);
  });

  it("fails with AWS's cause when Variable selects nothing", () => {
    const error = failure({ Variable: "$.missing", StringEquals: "x" });
    expect(error.error).toBe("States.Runtime");
    expect(error.causeText).toBe("Invalid path '$.missing': The choice state's condition path references an invalid value.");
    expect(failure({ Variable: "$.missing", IsNull: true }).error).toBe("States.Runtime");
  });

  it("fails when the path of a …Path operator selects nothing", () => {
    expect(failure({ Variable: "$.value", NumericEqualsPath: "$.nothing" }).causeText).toBe(
      "Invalid path '$.nothing': The choice state's comparison path references an invalid value.",
    );
  });

  it("fails on a rule without exactly one operator", () => {
    expect(failure({ Variable: "$.value" }).error).toBe("States.Runtime");
    expect(failure({ Variable: "$.value", NumericEquals: 1, NumericLessThan: 2 }).error).toBe("States.Runtime");
  });

  it("ignores Next and Comment beside the operator", () => {
    const rule = { Variable: "$.value", NumericEquals: 22, Next: "Done", Comment: "twenty-two" } as ChoiceExpression;
    expect(evaluate(rule)).toBe(true);
    expect(evaluate(rule, { value: 1 })).toBe(false);
  });

  it("re-exports the operator list for the validator", () => {
    expect(CHOICE_OPERATORS).toContain("StringMatches");
  });
});
