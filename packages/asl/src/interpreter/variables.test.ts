/** Workflow variables (`Assign`): when they take effect, where they are visible, and how they are recorded. */
import { describe, expect, it } from "vitest";
import type { StateMachineDefinition } from "../definition.ts";
import { runExecution } from "../runner/run-execution.ts";
import { exitedOutput, firstEvent } from "./states/test-support.ts";

const LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:work";

describe("Assign in JSONPath states", () => {
  it("makes assigned values readable as $name in later states", async () => {
    const definition: StateMachineDefinition = {
      StartAt: "Set",
      States: {
        Set: { Type: "Pass", Assign: { "who.$": "$.name", fixed: 7 }, Next: "Use" },
        Use: { Type: "Pass", Parameters: { "greeting.$": "States.Format('hi {}', $who)", "n.$": "$fixed" }, End: true },
      },
    };
    const result = await runExecution(definition, { input: { name: "ann" } });
    expect(result.output).toEqual({ greeting: "hi ann", n: 7 });
  });

  it("evaluates every value of Assign against the variables as they were (simultaneous assignment)", async () => {
    const definition: StateMachineDefinition = {
      StartAt: "First",
      States: {
        First: { Type: "Pass", Assign: { a: 1, b: 2 }, Next: "Swap" },
        Swap: { Type: "Pass", Assign: { "a.$": "$b", "b.$": "$a" }, Next: "Show" },
        Show: { Type: "Pass", Parameters: { "a.$": "$a", "b.$": "$b" }, End: true },
      },
    };
    expect((await runExecution(definition)).output).toEqual({ a: 2, b: 1 });
  });

  it("does not let a state's own Parameters see what its Assign sets", async () => {
    const definition: StateMachineDefinition = {
      StartAt: "Init",
      States: {
        Init: { Type: "Pass", Assign: { v: "old" }, Next: "Both" },
        Both: { Type: "Pass", Parameters: { "seen.$": "$v" }, Assign: { v: "new" }, Next: "After" },
        After: { Type: "Pass", Parameters: { "prev.$": "$.seen", "now.$": "$v" }, End: true },
      },
    };
    expect((await runExecution(definition)).output).toEqual({ prev: "old", now: "new" });
  });

  it("reads a Task's result (after ResultSelector) as $ in Assign", async () => {
    const definition: StateMachineDefinition = {
      StartAt: "T",
      States: {
        T: {
          Type: "Task",
          Resource: LAMBDA,
          ResultSelector: { "code.$": "$.status" },
          Assign: { "code.$": "$.code" },
          ResultPath: null,
          Next: "Show",
        },
        Show: { Type: "Pass", Parameters: { "code.$": "$code" }, End: true },
      },
    };
    const result = await runExecution(definition, { mocks: { T: [{ Return: { status: 201 } }] } });
    expect(result.output).toEqual({ code: 201 });
  });

  it("assigns from a catcher with the error output as $", async () => {
    const definition: StateMachineDefinition = {
      StartAt: "T",
      States: {
        T: {
          Type: "Task",
          Resource: LAMBDA,
          Catch: [{ ErrorEquals: ["States.ALL"], Assign: { "failure.$": "$.Error" }, ResultPath: null, Next: "Show" }],
          End: true,
        },
        Show: { Type: "Pass", Parameters: { "failure.$": "$failure" }, End: true },
      },
    };
    const result = await runExecution(definition, { mocks: { T: [{ Throw: { Error: "Oops" } }] } });
    expect(result.output).toEqual({ failure: "Oops" });
  });

  it("records the assigned values as JSON text in the StateExited event", async () => {
    const definition: StateMachineDefinition = {
      StartAt: "Set",
      States: { Set: { Type: "Pass", Assign: { n: 1, s: "text", o: { a: [true, null] } }, End: true } },
    };
    const result = await runExecution(definition);
    expect(firstEvent(result, "PassStateExited").stateExitedEventDetails).toMatchObject({
      assignedVariables: { n: "1", s: '"text"', o: '{"a":[true,null]}' },
      assignedVariablesDetails: { truncated: false },
    });
  });

  it("records no assignedVariables for a state without Assign", async () => {
    const result = await runExecution({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });
    expect(firstEvent(result, "PassStateExited").stateExitedEventDetails).not.toHaveProperty("assignedVariables");
  });
});

describe("Assign in JSONata states", () => {
  it("makes assigned values readable as $name, evaluated against the old values", async () => {
    const definition: StateMachineDefinition = {
      QueryLanguage: "JSONata",
      StartAt: "Init",
      States: {
        Init: { Type: "Pass", Assign: { count: 1, total: "{% $states.input.start %}" }, Next: "Step" },
        Step: { Type: "Pass", Assign: { count: "{% $count + 1 %}", total: "{% $total + $count %}" }, Next: "Show" },
        Show: { Type: "Pass", Output: { count: "{% $count %}", total: "{% $total %}" }, End: true },
      },
    };
    expect((await runExecution(definition, { input: { start: 10 } })).output).toEqual({ count: 2, total: 11 });
  });

  it("can assign from $states.result of a Task while Output shapes the state's output", async () => {
    const definition: StateMachineDefinition = {
      QueryLanguage: "JSONata",
      StartAt: "T",
      States: {
        T: { Type: "Task", Resource: LAMBDA, Assign: { id: "{% $states.result.id %}" }, Output: "{% $states.input %}", Next: "Show" },
        Show: { Type: "Pass", Output: { id: "{% $id %}", input: "{% $states.input %}" }, End: true },
      },
    };
    const result = await runExecution(definition, { input: { q: 1 }, mocks: { T: [{ Return: { id: "abc" } }] } });
    expect(result.output).toEqual({ id: "abc", input: { q: 1 } });
  });

  it("records JSONata assignments in the StateExited event", async () => {
    const definition: StateMachineDefinition = {
      QueryLanguage: "JSONata",
      StartAt: "Set",
      States: { Set: { Type: "Pass", Assign: { sum: "{% 1 + 2 %}" }, End: true } },
    };
    const result = await runExecution(definition);
    expect(firstEvent(result, "PassStateExited").stateExitedEventDetails?.assignedVariables).toEqual({ sum: "3" });
  });
});

describe("Variables in Map and Parallel", () => {
  it("lets Map iterations read outer variables, keeps each iteration's own, and lets none leak out", async () => {
    const definition: StateMachineDefinition = {
      QueryLanguage: "JSONata",
      StartAt: "Init",
      States: {
        Init: { Type: "Pass", Assign: { prefix: "item-" }, Next: "Each" },
        Each: {
          Type: "Map",
          ItemProcessor: {
            StartAt: "Mine",
            States: {
              Mine: { Type: "Pass", Assign: { mine: "{% $states.input %}" }, Next: "Pause" },
              // Longer pauses for earlier items: every iteration assigns before any reads.
              Pause: { Type: "Wait", Seconds: "{% 10 - $states.input %}", Next: "Read" },
              Read: { Type: "Pass", Output: "{% $prefix & $string($mine) %}", End: true },
            },
          },
          Next: "After",
        },
        After: {
          Type: "Pass",
          Output: { results: "{% $states.input %}", leaked: "{% $exists($mine) %}", prefix: "{% $prefix %}" },
          End: true,
        },
      },
    };
    const result = await runExecution(definition, { input: [1, 2, 3] });
    expect(result.status).toBe("SUCCEEDED");
    expect(result.output).toEqual({ results: ["item-1", "item-2", "item-3"], leaked: false, prefix: "item-" });
  });

  it("lets Parallel branches read outer variables without their assignments leaking out", async () => {
    const definition: StateMachineDefinition = {
      StartAt: "Init",
      States: {
        Init: { Type: "Pass", Assign: { base: 10 }, Next: "Both" },
        Both: {
          Type: "Parallel",
          Branches: [
            {
              StartAt: "B0",
              States: {
                B0: { Type: "Pass", Assign: { base: 99 }, Next: "R0" },
                R0: { Type: "Pass", Parameters: { "v.$": "$base" }, End: true },
              },
            },
            { StartAt: "B1", States: { B1: { Type: "Pass", Parameters: { "v.$": "$base" }, End: true } } },
          ],
          Next: "After",
        },
        After: { Type: "Pass", Parameters: { "branches.$": "$", "base.$": "$base" }, End: true },
      },
    };
    const result = await runExecution(definition);
    expect(result.output).toEqual({ branches: [{ v: 99 }, { v: 10 }], base: 10 });
  });

  it("lets the Map state's own Assign set variables for the states after it", async () => {
    const definition: StateMachineDefinition = {
      StartAt: "Each",
      States: {
        Each: {
          Type: "Map",
          ItemProcessor: { StartAt: "E", States: { E: { Type: "Pass", End: true } } },
          Assign: { "count.$": "States.ArrayLength($)" },
          Next: "Show",
        },
        Show: { Type: "Pass", Parameters: { "count.$": "$count" }, End: true },
      },
    };
    const result = await runExecution(definition, { input: ["a", "b"] });
    expect(result.output).toEqual({ count: 2 });
    expect(exitedOutput(result, "Each")).toEqual(["a", "b"]);
  });
});
