import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validateDefinition } from "./validate-definition.ts";

const valid = {
  Comment: "charge a card",
  StartAt: "Charge",
  States: {
    Charge: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Parameters: { "amount.$": "$.amount" },
      Retry: [{ ErrorEquals: ["States.Timeout"], MaxAttempts: 2 }],
      Catch: [{ ErrorEquals: ["States.ALL"], Next: "Declined" }],
      Next: "Done",
    },
    Declined: { Type: "Fail", Error: "Declined" },
    Done: { Type: "Succeed" },
  },
};

describe("validateDefinition", () => {
  it("returns the definition when there is no error", () => {
    const result = validateDefinition(JSON.stringify(valid));
    expect(result).toEqual({ ok: true, diagnostics: [], definition: valid });
  });

  it("accepts an already parsed value", () => {
    expect(validateDefinition(valid).definition).toEqual(valid);
  });

  it("keeps the definition when there are only warnings", () => {
    const definition = { StartAt: "A", States: { A: { Type: "Pass", Result: { "x.$": "$" }, End: true } } };
    const result = validateDefinition(definition);
    expect(result.ok).toBe(true);
    expect(result.diagnostics.map((d) => d.severity)).toEqual(["WARNING"]);
    expect(result.definition).toEqual(definition);
  });

  it("reports every problem at once, and no definition", () => {
    const broken = {
      StartAt: "Charge",
      States: {
        Charge: { Type: "Task", Next: "Nowhere", End: true, InputPath: "oops" },
        Lost: { Type: "Wait", Seconds: -1, End: true },
      },
      Extra: true,
    };
    const result = validateDefinition(broken);
    expect(result.ok).toBe(false);
    expect(result.definition).toBeUndefined();
    expect(result.diagnostics.map((d) => `${d.code} @ ${d.location}`)).toEqual([
      "SCHEMA_VALIDATION_FAILED @ /Extra",
      "SCHEMA_VALIDATION_FAILED @ /States/Charge/InputPath",
      "SCHEMA_VALIDATION_FAILED @ /States/Charge",
      "SCHEMA_VALIDATION_FAILED @ /States/Lost/Seconds",
      "SCHEMA_VALIDATION_FAILED @ /States/Charge",
      "MISSING_TRANSITION_TARGET @ /States/Charge/Next",
      "MISSING_TRANSITION_TARGET @ /States/Lost",
    ]);
  });

  it("answers non-JSON text with one INVALID_JSON_DESCRIPTION", () => {
    const result = validateDefinition('{"StartAt": ');
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["INVALID_JSON_DESCRIPTION"]);
  });

  it("survives JSON nested deeper than the call stack", () => {
    const depth = 200_000;
    const deep = `{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"x":${"[".repeat(depth)}${"]".repeat(depth)}},"End":true}}}`;
    expect(() => validateDefinition(deep)).not.toThrow();
  });
});

describe("validateDefinition never throws", () => {
  it("on any JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const result = validateDefinition(value);
        expect(result.ok).toBe(result.definition !== undefined);
      }),
      { numRuns: 500 },
    );
  });

  it("on any text", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(Array.isArray(validateDefinition(text).diagnostics)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("on machine-shaped values with arbitrary fields", () => {
    const names = fc.constantFrom("A", "B", "C", "States.ALL", "");
    const fieldNames = fc.constantFrom(
      "Type",
      "Next",
      "End",
      "Default",
      "Choices",
      "Catch",
      "Retry",
      "Branches",
      "ItemProcessor",
      "Iterator",
      "Parameters",
      "Variable",
      "And",
      "Not",
      "StringEquals",
      "Condition",
      "ErrorEquals",
      "Seconds",
      "TimeoutSeconds",
      "Label",
      "Output",
      "QueryLanguage",
      "ResultPath",
      "Items",
      "ItemBatcher",
      "Credentials",
      "Assign",
      "StartAt",
      "States",
      "Error",
      "CausePath",
    );
    const values = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      names,
      fc.constantFrom(
        "Pass",
        "Task",
        "Choice",
        "Wait",
        "Succeed",
        "Fail",
        "Parallel",
        "Map",
        "JSONata",
        "$.a",
        "{% $x %}",
        "{% ( %}",
        "States.Format('{}')",
      ),
    );
    const node = fc.letrec<{ node: unknown }>((tie) => ({
      node: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        values,
        fc.array(tie("node"), { maxLength: 3 }),
        fc.dictionary(fieldNames, tie("node"), { maxKeys: 6 }),
      ),
    })).node;
    const machines = fc.record({
      StartAt: names,
      States: fc.dictionary(names, node, { maxKeys: 4 }),
      QueryLanguage: fc.constantFrom("JSONPath", "JSONata"),
    });
    fc.assert(
      fc.property(machines, (definition) => {
        const result = validateDefinition(definition);
        expect(result.ok).toBe(!result.diagnostics.some((d) => d.severity === "ERROR"));
      }),
      { numRuns: 1000 },
    );
  });
});
