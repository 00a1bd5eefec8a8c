/** How errors end states: payload limits, query errors, the uncatchable States.Runtime. */
import { describe, expect, it } from "vitest";
import type { StateMachineDefinition, TaskState } from "../definition.ts";
import { runExecution } from "../runner/run-execution.ts";
import { eventsOf, typesOf } from "./states/test-support.ts";

const LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:work";
const catchAll = { Catch: [{ ErrorEquals: ["States.ALL"], Next: "Caught" }], Retry: [{ ErrorEquals: ["States.ALL"], MaxAttempts: 2 }] };

function guarded(task: Partial<TaskState>, language?: "JSONata"): StateMachineDefinition {
  return {
    ...(language ? { QueryLanguage: language } : {}),
    StartAt: "T",
    States: { T: { Type: "Task", Resource: LAMBDA, End: true, ...catchAll, ...task } as TaskState, Caught: { Type: "Pass", End: true } },
  };
}

describe("States.DataLimitExceeded", () => {
  it("fails a state whose output is over the payload limit", async () => {
    const result = await runExecution(
      { StartAt: "Big", States: { Big: { Type: "Pass", Result: "x".repeat(100), End: true } } },
      { maxPayloadBytes: 64 },
    );
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("States.DataLimitExceeded");
    expect(result.cause).toContain("(64 bytes)");
    expect(typesOf(result)).toEqual(["ExecutionStarted", "PassStateEntered", "ExecutionFailed"]);
  });

  it("fails on entering a state whose input is over the limit", async () => {
    const result = await runExecution(
      { StartAt: "P", States: { P: { Type: "Pass", End: true } } },
      { input: { s: "y".repeat(100) }, maxPayloadBytes: 64 },
    );
    expect(result.error).toBe("States.DataLimitExceeded");
  });

  it("measures an output that ResultPath adds to the input, in UTF-8 bytes", async () => {
    const definition: StateMachineDefinition = {
      StartAt: "P",
      States: { P: { Type: "Pass", Result: "é".repeat(30), ResultPath: "$.r", End: true } },
    };
    // {"s":"yy","r":"éé…"}: 47 characters, under the limit, but 77 bytes.
    const result = await runExecution(definition, { input: { s: "yy" }, maxPayloadBytes: 64 });
    expect(result.error).toBe("States.DataLimitExceeded");
    expect(result.cause).toContain("The output of state 'P'");
  });

  it("accepts data exactly at the limit", async () => {
    const value = "z".repeat(62); // 64 bytes as JSON text, with the quotes
    const result = await runExecution({ StartAt: "P", States: { P: { Type: "Pass", Result: value, End: true } } }, { maxPayloadBytes: 64 });
    expect(result.status).toBe("SUCCEEDED");
  });

  it("is neither retried nor caught by States.ALL, even for a task result", async () => {
    const result = await runExecution(guarded({}), { mocks: { T: [{ Return: "w".repeat(100) }] }, maxPayloadBytes: 64 });
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("States.DataLimitExceeded");
    expect(eventsOf(result, "LambdaFunctionScheduled")).toHaveLength(1);
  });
});

describe("States.Runtime", () => {
  it("is neither retried nor caught by States.ALL", async () => {
    const result = await runExecution(guarded({ InputPath: "$.missing" }), { input: { present: 1 } });
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("States.Runtime");
    expect(result.cause).toMatch(/^An error occurred while executing the state 'T' \(entered at the event id #2\)\. /);
    expect(eventsOf(result, "LambdaFunctionScheduled")).toHaveLength(0);
  });

  it("ends a state whose output is nested too deeply to serialise, instead of escaping as an internal error", async () => {
    // 10 KB of text that States.StringToJson turns into arrays 5,000 deep: JSON.parse takes them, the
    // serialisation that measures the output overflows V8's stack. Unnamed, the error failed every attempt
    // of the transition and left the execution RUNNING for ever.
    const definition: StateMachineDefinition = {
      StartAt: "Parse",
      States: { Parse: { Type: "Pass", Parameters: { "deep.$": "States.StringToJson($.text)" }, End: true } },
    };
    const result = await runExecution(definition, { input: { text: `${"[".repeat(5000)}${"]".repeat(5000)}` } });
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("States.Runtime");
    expect(result.cause).toContain("The output of state 'Parse' is nested too deeply to serialise");
  });

  it("is not caught even by a catcher that names it", async () => {
    const definition = guarded({ InputPath: "$.missing", Catch: [{ ErrorEquals: ["States.Runtime"], Next: "Caught" }], Retry: [] });
    const result = await runExecution(definition, { input: {} });
    expect(result.error).toBe("States.Runtime");
  });
});

describe("errors a Catch handles", () => {
  it("catches a JSONata error in a Task's Arguments with States.ALL", async () => {
    const definition = guarded({ Arguments: { n: "{% $states.input.word + 1 %}" }, Retry: [] }, "JSONata");
    const result = await runExecution(definition, { input: { word: "abc" } });
    expect(result.status).toBe("SUCCEEDED");
    const output = result.output as { Error: string; Cause: string };
    expect(output.Error).toBe("States.QueryEvaluationError");
    expect(output.Cause).toContain("specified for the field 'Arguments/n'");
    expect(output.Cause).toContain("T2001");
    expect(eventsOf(result, "LambdaFunctionScheduled")).toHaveLength(0);
  });

  it("catches States.ResultPathMatchFailure with States.ALL", async () => {
    const definition = guarded({ ResultPath: "$.a.b", Retry: [] });
    const result = await runExecution(definition, { input: { a: "not an object" }, mocks: { T: [{ Return: 1 }] } });
    expect(result.status).toBe("SUCCEEDED");
    expect(result.output).toMatchObject({ Error: "States.ResultPathMatchFailure" });
  });

  it("prefixes the cause of an evaluation error with the state and its entered event", async () => {
    const definition: StateMachineDefinition = {
      QueryLanguage: "JSONata",
      StartAt: "First",
      States: { First: { Type: "Pass", Next: "Second" }, Second: { Type: "Pass", Output: "{% $states.input.nothing %}", End: true } },
    };
    const result = await runExecution(definition);
    expect(result.error).toBe("States.QueryEvaluationError");
    expect(result.cause).toBe(
      "An error occurred while executing the state 'Second' (entered at the event id #4). The JSONata expression '$states.input.nothing' specified for the field 'Output' returned nothing (undefined).",
    );
  });
});

describe("runaway JSONata", () => {
  it("ends a recursion without end with States.QueryEvaluationError, quickly", async () => {
    const definition: StateMachineDefinition = {
      QueryLanguage: "JSONata",
      StartAt: "Loop",
      States: { Loop: { Type: "Pass", Output: "{% ($f := function($n) { $n + $f($n + 1) }; $f(0)) %}", End: true } },
    };
    const started = performance.now();
    const result = await runExecution(definition);
    expect(performance.now() - started).toBeLessThan(4_000);
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("States.QueryEvaluationError");
    expect(result.cause).toContain("Stack overflow error");
  });

  it("gives each expression the configured clock", async () => {
    const definition: StateMachineDefinition = {
      QueryLanguage: "JSONata",
      StartAt: "Sum",
      States: { Sum: { Type: "Pass", Output: "{% $reduce([1..100000], function($a, $v){ $a + $v }) %}", End: true } },
    };
    const patient = await runExecution(definition, { expressionTimeoutMs: 20_000 });
    expect(patient.output).toBe(5_000_050_000);
    const hasty = await runExecution(definition, { expressionTimeoutMs: 10 });
    expect(hasty.error).toBe("States.QueryEvaluationError");
    expect(hasty.cause).toContain("Expression evaluation timeout: Check for infinite loop");
  });
});
