import { describe, expect, it } from "vitest";
import { diagnose, errors, machine, SCHEMA } from "./validate-test-support.ts";

const done = { Type: "Succeed" };
const choice = (choices: unknown, top: Record<string, unknown> = {}) =>
  machine({ C: { Type: "Choice", Choices: choices, Default: "D" }, D: done }, top);
const jsonata = { QueryLanguage: "JSONata" };

describe("Choice state", () => {
  it("needs a non-empty Choices array", () => {
    expect(errors(machine({ C: { Type: "Choice", Default: "D" }, D: done }))).toEqual([`${SCHEMA} @ /States/C`]);
    expect(errors(choice([]))).toEqual([`${SCHEMA} @ /States/C/Choices`]);
    expect(errors(choice(["x"]))).toEqual([`${SCHEMA} @ /States/C/Choices[0]`]);
  });

  it("requires Default to be a string", () => {
    expect(errors(machine({ C: { Type: "Choice", Choices: [{ Variable: "$", IsNull: true, Next: "D" }], Default: 1 }, D: done }))).toEqual([
      `${SCHEMA} @ /States/C/Default`,
    ]);
  });
});

describe("JSONPath choice rules", () => {
  it("accepts a comparison, and nested And/Or/Not", () => {
    const rule = {
      And: [
        { Variable: "$.a", NumericGreaterThan: 1 },
        { Not: { Variable: "$.b", StringMatches: "x*" } },
        { Or: [{ Variable: "$.c", IsNull: true }] },
      ],
      Next: "D",
      Assign: { "seen.$": "$.a" },
      Comment: "c",
    };
    expect(diagnose(choice([rule]))).toEqual([]);
  });

  it("requires Next on a top-level rule", () => {
    expect(errors(choice([{ Variable: "$.a", IsNull: true }]))).toEqual([`${SCHEMA} @ /States/C/Choices[0]`]);
  });

  it("refuses Next in a nested rule", () => {
    expect(errors(choice([{ Not: { Variable: "$.a", IsNull: true, Next: "D" }, Next: "D" }]))).toEqual([
      `${SCHEMA} @ /States/C/Choices[0]/Not/Next`,
    ]);
  });

  it("needs exactly one test", () => {
    expect(errors(choice([{ Variable: "$.a", Next: "D" }]))).toEqual([`${SCHEMA} @ /States/C/Choices[0]`]);
    expect(errors(choice([{ Variable: "$.a", IsNull: true, IsString: true, Next: "D" }]))).toEqual([`${SCHEMA} @ /States/C/Choices[0]`]);
    expect(errors(choice([{ Variable: "$.a", IsNull: true, Not: { Variable: "$.b", IsNull: true }, Next: "D" }]))).toEqual([
      `${SCHEMA} @ /States/C/Choices[0]`,
    ]);
  });

  it("requires a valid Variable beside a comparison, and none beside And/Or/Not", () => {
    expect(errors(choice([{ IsNull: true, Next: "D" }]))).toEqual([`${SCHEMA} @ /States/C/Choices[0]`]);
    expect(errors(choice([{ Variable: "a.b", IsNull: true, Next: "D" }]))).toEqual([`${SCHEMA} @ /States/C/Choices[0]/Variable`]);
    expect(errors(choice([{ Variable: "$.a", Not: { Variable: "$.b", IsNull: true }, Next: "D" }]))).toEqual([
      `${SCHEMA} @ /States/C/Choices[0]/Variable`,
    ]);
  });

  it.each([
    ["StringEquals", 1],
    ["StringMatches", null],
    ["NumericEquals", "1"],
    ["NumericLessThan", true],
    ["BooleanEquals", "true"],
    ["IsNull", 1],
    ["IsPresent", "yes"],
    ["TimestampEquals", 20240101],
    ["StringEqualsPath", "a.b"],
    ["NumericEqualsPath", 3],
  ])("checks the operand of %s: %j", (operator, operand) => {
    expect(errors(choice([{ Variable: "$.a", [operator]: operand, Next: "D" }]))).toEqual([`${SCHEMA} @ /States/C/Choices[0]/${operator}`]);
  });

  it("accepts any string as a timestamp literal, as AWS does", () => {
    expect(errors(choice([{ Variable: "$.a", TimestampEquals: "date", Next: "D" }]))).toEqual([]);
  });

  it("checks And, Or and Not operands", () => {
    expect(errors(choice([{ And: [], Next: "D" }]))).toEqual([`${SCHEMA} @ /States/C/Choices[0]/And`]);
    expect(errors(choice([{ Or: [3], Next: "D" }]))).toEqual([`${SCHEMA} @ /States/C/Choices[0]/Or[0]`]);
    expect(errors(choice([{ Not: [{ Variable: "$.a", IsNull: true }], Next: "D" }]))).toEqual([`${SCHEMA} @ /States/C/Choices[0]/Not`]);
  });

  it("refuses JSONata and unknown fields", () => {
    expect(errors(choice([{ Condition: true, Variable: "$.a", IsNull: true, Next: "D" }]))).toEqual([
      `${SCHEMA} @ /States/C/Choices[0]/Condition`,
    ]);
    expect(errors(choice([{ Variable: "$.a", IsNull: true, Foo: 1, Next: "D" }]))).toEqual([`${SCHEMA} @ /States/C/Choices[0]/Foo`]);
  });

  it("stops at maxNestingDepth", () => {
    let rule: Record<string, unknown> = { Variable: "$.a", IsNull: true };
    for (let i = 0; i < 10; i++) rule = { Not: rule };
    expect(errors(choice([{ ...rule, Next: "D" }]), { maxNestingDepth: 10 })).toEqual([]);
    const found = errors(choice([{ ...rule, Next: "D" }]), { maxNestingDepth: 9 });
    expect(found).toEqual([`TOO_DEEPLY_NESTED @ /States/C/Choices[0]${"/Not".repeat(10)}`]);
  });
});

describe("JSONata choice rules", () => {
  it("accepts Condition with Output and Assign", () => {
    const rule = { Condition: "{% $states.input.x > 1 %}", Next: "D", Output: { a: "{% 1 %}" }, Assign: { v: 1 } };
    expect(diagnose(choice([rule, { Condition: false, Next: "D" }], jsonata))).toEqual([]);
  });

  it("requires Condition and Next", () => {
    expect(errors(choice([{ Next: "D" }], jsonata))).toEqual([`${SCHEMA} @ /States/C/Choices[0]`]);
    expect(errors(choice([{ Condition: true }], jsonata))).toEqual([`${SCHEMA} @ /States/C/Choices[0]`]);
  });

  it("checks Condition", () => {
    expect(errors(choice([{ Condition: "{% $states.input. %}", Next: "D" }], jsonata))).toEqual([
      `${SCHEMA} @ /States/C/Choices[0]/Condition`,
    ]);
    expect(errors(choice([{ Condition: "true", Next: "D" }], jsonata))).toEqual([`${SCHEMA} @ /States/C/Choices[0]/Condition`]);
  });

  it("refuses JSONPath comparisons", () => {
    const found = diagnose(choice([{ Condition: true, Variable: "$.a", IsNull: true, Next: "D" }], jsonata));
    expect(found.map((d) => d.location)).toEqual(["/States/C/Choices[0]/Variable", "/States/C/Choices[0]/IsNull"]);
  });
});
