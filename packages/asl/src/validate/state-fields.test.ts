import { describe, expect, it } from "vitest";
import { errors, machine, SCHEMA, warnings } from "./validate-test-support.ts";

const task = (fields: Record<string, unknown>) =>
  machine({ T: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", End: true, ...fields } });
const jsonataPass = (fields: Record<string, unknown>) =>
  machine({ A: { Type: "Pass", End: true, ...fields } }, { QueryLanguage: "JSONata" });

describe("input and output fields", () => {
  it("accepts paths, context paths, variables and null", () => {
    expect(errors(task({ InputPath: "$.a[0].b", OutputPath: null, ResultPath: "$.r" }))).toEqual([]);
    expect(errors(task({ InputPath: "$$.Execution.Input", OutputPath: "$v.x", ResultPath: null }))).toEqual([]);
  });

  it.each([
    ["InputPath", "$.a["],
    ["InputPath", "a.b"],
    ["OutputPath", 5],
    ["ResultPath", "$.a[*]"],
    ["ResultPath", "$$.Execution"],
    ["ResultPath", "$var"],
  ])("refuses %s %j", (field, value) => {
    expect(errors(task({ [field]: value }))).toEqual([`${SCHEMA} @ /States/T/${field}`]);
  });

  it("checks the paths and intrinsic calls of a payload template", () => {
    const parameters = {
      ok: "$.x",
      "fine.$": "States.Format('{}', $.a)",
      nested: [{ "bad.$": "$.a[" }],
      deep: { "num.$": 5, "call.$": "States.Nope(1)" },
    };
    expect(errors(task({ Parameters: parameters }))).toEqual([
      `${SCHEMA} @ /States/T/Parameters/deep/num.$`,
      `${SCHEMA} @ /States/T/Parameters/deep/call.$`,
      `${SCHEMA} @ /States/T/Parameters/nested[0]/bad.$`,
    ]);
    expect(warnings(task({ Parameters: parameters }))).toEqual(["NO_DOLLAR @ /States/T/Parameters/ok"]);
  });

  it("requires Parameters and ResultSelector to be objects", () => {
    expect(errors(task({ Parameters: [1], ResultSelector: "$" }))).toEqual([
      `${SCHEMA} @ /States/T/Parameters`,
      `${SCHEMA} @ /States/T/ResultSelector`,
    ]);
  });

  it("checks JSONPath Assign as a template", () => {
    expect(errors(task({ Assign: { "x.$": "$.a..", y: "{% not checked %}" } }))).toEqual([`${SCHEMA} @ /States/T/Assign/x.$`]);
    expect(errors(task({ Assign: [] }))).toEqual([`${SCHEMA} @ /States/T/Assign`]);
  });

  it("parses every JSONata expression of Output, Assign and Arguments", () => {
    expect(
      errors(jsonataPass({ Output: { a: ["{% 1 + %}", "plain {% text"] }, Assign: { v: "{% $states.input %}", w: "{% ( %}" } })),
    ).toEqual([`${SCHEMA} @ /States/A/Assign/w`, `${SCHEMA} @ /States/A/Output/a[0]`]);
    const args = machine(
      { T: { Type: "Task", Resource: "arn:x:y", Arguments: "{% $states.input %}", End: true } },
      { QueryLanguage: "JSONata" },
    );
    expect(errors(args)).toEqual([]);
    const badArgs = machine({ T: { Type: "Task", Resource: "arn:x:y", Arguments: [1], End: true } }, { QueryLanguage: "JSONata" });
    expect(errors(badArgs)).toEqual([`${SCHEMA} @ /States/T/Arguments`]);
  });
});

describe("Pass", () => {
  it("warns that Result is static", () => {
    expect(warnings(machine({ A: { Type: "Pass", Result: { "x.$": "$.a" }, End: true } }))).toEqual([
      "PASS_RESULT_IS_STATIC @ /States/A/Result",
    ]);
    expect(warnings(machine({ A: { Type: "Pass", Result: { x: ["$.a"] }, End: true } }))).toEqual([]);
  });
});

describe("Task", () => {
  it("requires a Resource URI", () => {
    expect(errors(machine({ T: { Type: "Task", End: true } }))).toEqual([`${SCHEMA} @ /States/T`]);
    expect(errors(task({ Resource: 5 }))).toEqual(["INVALID_RESOURCE @ /States/T/Resource"]);
    expect(errors(task({ Resource: "not a uri" }))).toEqual(["INVALID_RESOURCE @ /States/T/Resource"]);
  });

  it("checks TimeoutSeconds and HeartbeatSeconds", () => {
    expect(errors(task({ TimeoutSeconds: 10, HeartbeatSeconds: 5 }))).toEqual([]);
    expect(errors(task({ TimeoutSeconds: 0 }))).toEqual([`${SCHEMA} @ /States/T/TimeoutSeconds`]);
    expect(errors(task({ HeartbeatSeconds: 2.5 }))).toEqual([`${SCHEMA} @ /States/T/HeartbeatSeconds`]);
    expect(errors(task({ TimeoutSeconds: 5, HeartbeatSeconds: 5 }))).toEqual([`${SCHEMA} @ /States/T/HeartbeatSeconds`]);
    expect(errors(task({ TimeoutSeconds: 5, TimeoutSecondsPath: "$.t" }))).toEqual([`${SCHEMA} @ /States/T`]);
    expect(errors(task({ TimeoutSecondsPath: "$.t[?(@.a)]" }))).toEqual([`${SCHEMA} @ /States/T/TimeoutSecondsPath`]);
  });

  it("accepts a JSONata expression for TimeoutSeconds, and parses it", () => {
    const jsonataTask = (timeout: unknown) =>
      machine({ T: { Type: "Task", Resource: "arn:x:y", TimeoutSeconds: timeout, End: true } }, { QueryLanguage: "JSONata" });
    expect(errors(jsonataTask("{% $states.input.t %}"))).toEqual([]);
    expect(errors(jsonataTask("{% $states.input. %}"))).toEqual([`${SCHEMA} @ /States/T/TimeoutSeconds`]);
    expect(errors(jsonataTask("30"))).toEqual([`${SCHEMA} @ /States/T/TimeoutSeconds`]);
  });

  it("checks Credentials", () => {
    expect(errors(task({ Credentials: { "RoleArn.$": "$.role" } }))).toEqual([]);
    expect(errors(task({ Credentials: { RoleArn: "arn:aws:iam::1:role/r", "RoleArn.$": "$.role" } }))).toEqual([
      `${SCHEMA} @ /States/T/Credentials`,
    ]);
    expect(errors(task({ Credentials: { Role: "r" } }))).toEqual([
      `${SCHEMA} @ /States/T/Credentials/Role`,
      `${SCHEMA} @ /States/T/Credentials`,
    ]);
  });
});

describe("Wait", () => {
  const wait = (fields: Record<string, unknown>, top: Record<string, unknown> = {}) =>
    machine({ W: { Type: "Wait", End: true, ...fields } }, top);

  it("needs exactly one of Seconds, Timestamp, SecondsPath, TimestampPath", () => {
    expect(errors(wait({}))).toEqual([`${SCHEMA} @ /States/W`]);
    expect(errors(wait({ Seconds: 1, TimestampPath: "$.t" }))).toEqual([`${SCHEMA} @ /States/W`]);
    expect(errors(wait({ SecondsPath: "$.s" }))).toEqual([]);
    expect(errors(wait({ Timestamp: "2026-01-01T00:00:00Z" }))).toEqual([]);
  });

  it("checks each form", () => {
    expect(errors(wait({ Seconds: -1 }))).toEqual([`${SCHEMA} @ /States/W/Seconds`]);
    expect(errors(wait({ SecondsPath: "s" }))).toEqual([`${SCHEMA} @ /States/W/SecondsPath`]);
    expect(errors(wait({ Timestamp: 5 }))).toEqual([`${SCHEMA} @ /States/W/Timestamp`]);
  });

  it("takes Seconds and Timestamp expressions in JSONata", () => {
    expect(errors(wait({ Seconds: "{% $states.input.s %}" }, { QueryLanguage: "JSONata" }))).toEqual([]);
    expect(errors(wait({ Timestamp: "{% ) %}" }, { QueryLanguage: "JSONata" }))).toEqual([`${SCHEMA} @ /States/W/Timestamp`]);
    expect(errors(wait({ SecondsPath: "$.s" }, { QueryLanguage: "JSONata" }))).toEqual([
      `${SCHEMA} @ /States/W/SecondsPath`,
      `${SCHEMA} @ /States/W`,
    ]);
  });
});

describe("Fail", () => {
  const fail = (fields: Record<string, unknown>, top: Record<string, unknown> = {}) => machine({ F: { Type: "Fail", ...fields } }, top);

  it("accepts Error and Cause, or their paths and intrinsic calls", () => {
    expect(errors(fail({ Error: "E", Cause: "c" }))).toEqual([]);
    expect(errors(fail({ ErrorPath: "$.e", CausePath: "States.Format('{}', $.c)" }))).toEqual([]);
  });

  it("refuses Error with ErrorPath and Cause with CausePath", () => {
    expect(errors(fail({ Error: "E", ErrorPath: "$.e", Cause: "c", CausePath: "$.c" }))).toEqual([
      `${SCHEMA} @ /States/F`,
      `${SCHEMA} @ /States/F`,
    ]);
  });

  it("checks the paths and intrinsic calls", () => {
    expect(errors(fail({ ErrorPath: "e", CausePath: "States.Format('{}', $.c" }))).toEqual([
      `${SCHEMA} @ /States/F/ErrorPath`,
      `${SCHEMA} @ /States/F/CausePath`,
    ]);
  });

  it("warns when a literal looks like a path", () => {
    expect(warnings(fail({ Error: "$.error" }))).toEqual(["NO_PATH @ /States/F/Error"]);
  });

  it("parses JSONata Error and Cause", () => {
    expect(errors(fail({ Error: "{% $states.input.e %}", Cause: "{% 'a' & %}" }, { QueryLanguage: "JSONata" }))).toEqual([
      `${SCHEMA} @ /States/F/Cause`,
    ]);
  });
});

describe("Parallel", () => {
  it("needs a non-empty array of Branches", () => {
    expect(errors(machine({ P: { Type: "Parallel", End: true } }))).toEqual([`${SCHEMA} @ /States/P`]);
    expect(errors(machine({ P: { Type: "Parallel", Branches: [], End: true } }))).toEqual([`${SCHEMA} @ /States/P/Branches`]);
    expect(errors(machine({ P: { Type: "Parallel", Branches: {}, End: true } }))).toEqual([`${SCHEMA} @ /States/P/Branches`]);
  });
});
