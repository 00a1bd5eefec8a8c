import { describe, expect, it } from "vitest";
import type { StateMachineDefinition } from "../../definition.ts";
import type { Json } from "../../json.ts";
import { runExecution } from "../../runner/run-execution.ts";
import { typesOf } from "./test-support.ts";

function onePass(pass: Record<string, Json>): StateMachineDefinition {
  return { StartAt: "P", States: { P: { Type: "Pass", End: true, ...pass } } } as StateMachineDefinition;
}

async function outputOf(pass: Record<string, Json>, input: Json): Promise<Json | undefined> {
  const result = await runExecution(onePass(pass), { input });
  expect(result.status).toBe("SUCCEEDED");
  return result.output;
}

describe("Pass state", () => {
  it("passes its input on unchanged by default", async () => {
    expect(await outputOf({}, { a: 1 })).toEqual({ a: 1 });
  });

  it("replaces the input with Result", async () => {
    expect(await outputOf({ Result: { r: [1, 2] } }, { a: 1 })).toEqual({ r: [1, 2] });
  });

  it("does not evaluate paths inside Result", async () => {
    expect(await outputOf({ Result: { "x.$": "$.a" } }, { a: 1 })).toEqual({ "x.$": "$.a" });
  });

  it("builds its output from Parameters, with paths, the context object and literals", async () => {
    const output = await outputOf(
      { Parameters: { "x.$": "$.a", fixed: "lit", "state.$": "$$.State.Name", nested: { "y.$": "$.b[1]" } } },
      { a: 5, b: [7, 8] },
    );
    expect(output).toEqual({ x: 5, fixed: "lit", state: "P", nested: { y: 8 } });
  });

  it("places Result at ResultPath, creating the missing objects of a nested path", async () => {
    expect(await outputOf({ Result: "r", ResultPath: "$.a.b.c" }, { keep: true })).toEqual({ keep: true, a: { b: { c: "r" } } });
  });

  it("overwrites an existing field at ResultPath and keeps its siblings", async () => {
    expect(await outputOf({ Result: 2, ResultPath: "$.a.x" }, { a: { x: 1, y: 1 } })).toEqual({ a: { x: 2, y: 1 } });
  });

  it("discards the result with ResultPath null", async () => {
    expect(await outputOf({ Result: { r: 1 }, ResultPath: null }, { a: 1 })).toEqual({ a: 1 });
  });

  it("keeps the raw input for ResultPath even when InputPath narrowed the effective input", async () => {
    expect(await outputOf({ InputPath: "$.inner", ResultPath: "$.copy" }, { inner: { v: 1 }, other: 2 })).toEqual({
      inner: { v: 1 },
      other: 2,
      copy: { v: 1 },
    });
  });

  it("selects part of its output with OutputPath", async () => {
    expect(await outputOf({ Result: { keep: { k: 1 }, drop: 2 }, OutputPath: "$.keep" }, {})).toEqual({ k: 1 });
  });

  it("gives an empty object as effective input for InputPath null", async () => {
    expect(await outputOf({ InputPath: null }, { a: 1 })).toEqual({});
  });

  it("gives an empty object as output for OutputPath null", async () => {
    expect(await outputOf({ OutputPath: null }, { a: 1 })).toEqual({});
  });

  it("applies InputPath before Parameters", async () => {
    expect(await outputOf({ InputPath: "$.inner", Parameters: { "v.$": "$.v" } }, { inner: { v: 3 }, v: 99 })).toEqual({ v: 3 });
  });

  it("fails with States.Runtime when a Parameters path matches nothing", async () => {
    const result = await runExecution(onePass({ Parameters: { "x.$": "$.missing" } }), { input: { a: 1 } });
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("States.Runtime");
    expect(result.cause).toMatch(/^An error occurred while executing the state 'P' \(entered at the event id #2\)\. /);
  });

  it("chains through Next and records entered/exited events for each state", async () => {
    const definition: StateMachineDefinition = {
      StartAt: "A",
      States: {
        A: { Type: "Pass", Result: 1, ResultPath: "$.a", Next: "B" },
        B: { Type: "Pass", Result: 2, ResultPath: "$.b", End: true },
      },
    };
    const result = await runExecution(definition, { input: {} });
    expect(result.output).toEqual({ a: 1, b: 2 });
    expect(typesOf(result)).toEqual([
      "ExecutionStarted",
      "PassStateEntered",
      "PassStateExited",
      "PassStateEntered",
      "PassStateExited",
      "ExecutionSucceeded",
    ]);
  });

  it("in JSONata, outputs Output evaluated against $states.input", async () => {
    const definition: StateMachineDefinition = {
      QueryLanguage: "JSONata",
      StartAt: "P",
      States: { P: { Type: "Pass", Output: { sum: "{% $states.input.a + $states.input.b %}", lit: "x" }, End: true } },
    };
    const result = await runExecution(definition, { input: { a: 2, b: 3 } });
    expect(result.output).toEqual({ sum: 5, lit: "x" });
  });
});
