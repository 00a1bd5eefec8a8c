import { describe, expect, it } from "vitest";
import type { Json } from "../json.ts";
import { DiagnosticList } from "./diagnostics.ts";
import {
  checkJsonataTemplate,
  checkJsonPathTemplate,
  checkPathOrIntrinsic,
  checkResultPath,
  isJsonataExpression,
  jsonataSyntaxError,
  looksDynamic,
} from "./expressions.ts";

describe("JSONata expressions", () => {
  it("recognises only whole {% %} strings", () => {
    expect(isJsonataExpression("{% 1 %}")).toBe(true);
    expect(isJsonataExpression("{%\n$x\n%}")).toBe(true);
    expect(isJsonataExpression(" {% 1 %}")).toBe(false);
    expect(isJsonataExpression("{% 1")).toBe(false);
    expect(isJsonataExpression(1)).toBe(false);
  });

  it("reports the parser's message and position", () => {
    expect(jsonataSyntaxError("{% $states.input.a %}")).toBeNull();
    expect(jsonataSyntaxError("{% $var = '\"' %}")).toBeNull();
    expect(jsonataSyntaxError("{% ( %}")).toBe('Expected ")" before end of expression (at position 3)');
    expect(jsonataSyntaxError("{%  %}")).toMatch(/^Unexpected end of expression/);
  });

  it("walks templates of any depth without recursion", () => {
    let template: Json = "{% ) %}";
    for (let i = 0; i < 100_000; i++) template = i % 2 ? { k: template } : [template];
    const d = new DiagnosticList();
    checkJsonataTemplate(d, template, "Output", "/Output");
    expect(d.items).toHaveLength(1);
    expect(d.items[0]?.message).toMatch(/^The value for the field 'k' must be a valid JSONata expression/);
  });
});

describe("JSONPath templates", () => {
  it("walks templates of any depth without recursion", () => {
    let template: Json = { "bad.$": "$.a[" };
    for (let i = 0; i < 100_000; i++) template = { k: [template] };
    const d = new DiagnosticList();
    checkJsonPathTemplate(d, template, "/Parameters");
    expect(d.items.map((x) => x.code)).toEqual(["SCHEMA_VALIDATION_FAILED"]);
  });

  it("refuses a field given both literally and as .$, whichever comes first (the ASL spec forbids it)", () => {
    const d = new DiagnosticList();
    const template = {
      StateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:orders-child",
      "StateMachineArn.$": "$.target",
      Input: { "Payload.$": "$.p", Payload: 1 },
    };
    checkJsonPathTemplate(d, template, "/States/Nest/Parameters");
    expect(d.items.map((x) => `${x.code} ${x.location}`).sort()).toEqual([
      "SCHEMA_VALIDATION_FAILED /States/Nest/Parameters/Input/Payload.$",
      "SCHEMA_VALIDATION_FAILED /States/Nest/Parameters/StateMachineArn.$",
    ]);
    expect(d.items.find((x) => x.location.endsWith("StateMachineArn.$"))?.message).toBe(
      "The field 'StateMachineArn' is given twice: as 'StateMachineArn' and as 'StateMachineArn.$' (a payload template must not hold both)",
    );
  });

  it("says why an intrinsic call does not parse", () => {
    const d = new DiagnosticList();
    expect(checkPathOrIntrinsic(d, "States.Format('{}', $.a", "x.$", "/x.$")).toBe(false);
    expect(d.items[0]?.message).toMatch(/^The value for the field 'x.\$' must be a valid intrinsic function call: /);
  });

  it("warns about intrinsic calls that parse but cannot work", () => {
    const d = new DiagnosticList();
    expect(checkPathOrIntrinsic(d, "States.Format('{} {}', $.a)", "x.$", "/x.$")).toBe(true);
    expect(d.items.map((x) => `${x.severity} ${x.code}`)).toEqual(["WARNING INVALID_INTRINSIC_ARGUMENTS"]);
  });

  it("refuses a value that is neither a path nor a call", () => {
    const d = new DiagnosticList();
    expect(checkPathOrIntrinsic(d, "hello", "x.$", "/x.$")).toBe(false);
    expect(checkPathOrIntrinsic(d, ["$.a"], "y.$", "/y.$")).toBe(false);
    expect(d.items.map((x) => x.location)).toEqual(["/x.$", "/y.$"]);
  });
});

describe("ResultPath", () => {
  it.each([["$"], ["$.a.b"], ["$['a b'][0]"], [null]])("accepts %j", (path) => {
    expect(checkResultPath(new DiagnosticList(), path, "/ResultPath")).toBe(true);
  });

  it.each([["$$.Task"], ["$x"], ["$.a[*]"], ["a"], [3]])("refuses %j", (path) => {
    expect(checkResultPath(new DiagnosticList(), path, "/ResultPath")).toBe(false);
  });
});

describe("looksDynamic", () => {
  it("finds a .$ key at any depth", () => {
    expect(looksDynamic({ a: [{ b: { "c.$": "$" } }] })).toBe(true);
    expect(looksDynamic({ a: ["$.x", { b: "States.Format('x')" }] })).toBe(false);
  });
});
