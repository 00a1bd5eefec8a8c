/**
 * Acceptance test against what AWS did: every conformance case that starts with a JSONPath Choice state.
 * The branch our rules take must lead to the output AWS produced.
 *
 * LocalStack's snapshots replaced RFC 3339 timestamps with the placeholder "date" before the cases were
 * recorded, so a Timestamp comparison between placeholders cannot be decided: the same rule and input
 * appear with both outcomes. Those cases are checked for what can be known (the placeholder is no
 * timestamp, so the comparison is false) and listed apart.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ChoiceState, PassState, State, StateMachineDefinition } from "../definition.ts";
import type { EvaluationScope } from "../evaluation-scope.ts";
import { type Json, jsonEquals } from "../json.ts";
import { evaluateChoiceRule } from "./choice-rule.ts";

interface ConformanceCase {
  id: string;
  category: string;
  definition: StateMachineDefinition;
  input: Json;
  expected: { status: string; output?: Json };
}

const CASES_FILE = new URL("../../../../../shared/conformance/cases.jsonl", import.meta.url);
const REDACTED_TIMESTAMP = "date";
const scope: EvaluationScope = { context: {}, variables: {}, random: () => 0 };

const cases: ConformanceCase[] = readFileSync(CASES_FILE, "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => JSON.parse(line) as ConformanceCase)
  .filter((c) => {
    const start = c.definition.States[c.definition.StartAt];
    return start?.Type === "Choice" && start.Choices.every((rule) => typeof rule.Variable === "string");
  });

function startState(c: ConformanceCase): ChoiceState {
  return c.definition.States[c.definition.StartAt] as ChoiceState;
}

function usesRedactedTimestamp(c: ConformanceCase): boolean {
  return startState(c).Choices.some(
    (rule) =>
      Object.keys(rule).some((key) => key.startsWith("Timestamp")) && JSON.stringify([rule, c.input]).includes(`"${REDACTED_TIMESTAMP}"`),
  );
}

/** The output of the Pass state the Choice leads to: its literal `Result`, or its input passed through. */
function outputOfBranch(c: ConformanceCase): Json {
  const choice = startState(c);
  expect(choice.InputPath ?? "$").toBe("$");
  expect(choice.OutputPath ?? "$").toBe("$");
  const next = choice.Choices.find((rule) => evaluateChoiceRule(rule, c.input, scope))?.Next ?? choice.Default;
  expect(next, "no rule matched and there is no Default").toBeDefined();
  const target = c.definition.States[next as string] as State;
  expect(target.Type).toBe("Pass");
  const pass = target as PassState;
  expect([pass.InputPath, pass.OutputPath, pass.Parameters, pass.ResultPath, pass.Assign]).toEqual([
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
  ]);
  return pass.Result !== undefined ? pass.Result : c.input;
}

const decidable = cases.filter((c) => !usesRedactedTimestamp(c));
const redacted = cases.filter(usesRedactedTimestamp);

describe("Choice conformance (JSONPath rules with Variable)", () => {
  it("covers every choice_operators case", () => {
    const operatorCases = cases.filter((c) => c.category === "choice_operators");
    const allOperatorCases = readFileSync(CASES_FILE, "utf8")
      .split("\n")
      .filter((line) => line.includes('"category": "choice_operators"'));
    expect(operatorCases.length).toBe(allOperatorCases.length);
    expect(allOperatorCases.length).toBeGreaterThan(0);
  });

  it.each(decidable.map((c) => [c.id, c] as const))("%s", (_id, c) => {
    expect(c.expected.status).toBe("SUCCEEDED");
    const output = outputOfBranch(c);
    expect(jsonEquals(output, c.expected.output as Json), `took the branch giving ${JSON.stringify(output)}`).toBe(true);
  });

  it.each(redacted.map((c) => [c.id, c] as const))("%s: a redacted timestamp compares false", (_id, c) => {
    for (const rule of startState(c).Choices) expect(evaluateChoiceRule(rule, c.input, scope)).toBe(false);
  });
});
