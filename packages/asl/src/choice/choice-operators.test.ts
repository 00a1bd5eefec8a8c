import { describe, expect, it } from "vitest";
import type { Json } from "../json.ts";
import { CHOICE_OPERATOR_SPECS, CHOICE_OPERATORS } from "./choice-operators.ts";

function test(operator: string, variable: Json | undefined, operand: Json): boolean {
  const spec = CHOICE_OPERATOR_SPECS[operator] ?? expect.unreachable(operator);
  return spec.test(variable, operand);
}

const T0 = "2012-10-09T19:00:55Z";
const T1 = "2012-10-09T19:00:56Z";

describe("CHOICE_OPERATORS", () => {
  it("lists every comparison operator of the Amazon States Language once", () => {
    const families = ["String", "Numeric", "Timestamp"].flatMap((family) =>
      ["Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals"].flatMap((relation) => [
        `${family}${relation}`,
        `${family}${relation}Path`,
      ]),
    );
    const expected = [
      ...families,
      "BooleanEquals",
      "BooleanEqualsPath",
      "StringMatches",
      "IsNull",
      "IsNumeric",
      "IsString",
      "IsBoolean",
      "IsTimestamp",
      "IsPresent",
    ];
    expect([...CHOICE_OPERATORS].sort()).toEqual(expected.sort());
  });

  it("states the operand each operator takes", () => {
    expect(CHOICE_OPERATOR_SPECS.StringEquals?.operand).toBe("string");
    expect(CHOICE_OPERATOR_SPECS.NumericLessThan?.operand).toBe("number");
    expect(CHOICE_OPERATOR_SPECS.TimestampEquals?.operand).toBe("timestamp");
    expect(CHOICE_OPERATOR_SPECS.BooleanEquals?.operand).toBe("boolean");
    expect(CHOICE_OPERATOR_SPECS.IsPresent?.operand).toBe("boolean");
    expect(CHOICE_OPERATOR_SPECS.StringMatches?.operand).toBe("string");
    expect(
      CHOICE_OPERATORS.filter((operator) => operator.endsWith("Path")).every(
        (operator) => CHOICE_OPERATOR_SPECS[operator]?.operand === "path",
      ),
    ).toBe(true);
  });
});

describe("comparisons", () => {
  it.each([
    ["StringEquals", "a", "a", true],
    ["StringEquals", "a", "b", false],
    ["StringLessThan", "A", "AB", true],
    ["StringGreaterThan", "b", "a", true],
    ["StringLessThanEquals", "", "", true],
    ["StringGreaterThanEquals", "A", "AB", false],
    ["StringLessThan", "Z", "a", true],
    ["StringEquals", 1, "1", false],
    ["NumericEquals", 1, 1.0, true],
    ["NumericEquals", 0, -0, true],
    ["NumericLessThan", 1, 2, true],
    ["NumericGreaterThanEquals", 2, 2, true],
    ["NumericEquals", "1", 1, false],
    ["NumericLessThan", true, 2, false],
    ["BooleanEquals", true, true, true],
    ["BooleanEquals", 1, true, false],
    ["BooleanEquals", false, false, true],
    ["TimestampEquals", T0, T0, true],
    ["TimestampEquals", T0, "2012-10-09T20:00:55+01:00", true],
    ["TimestampLessThan", T0, T1, true],
    ["TimestampGreaterThan", T1, T0, true],
    ["TimestampLessThanEquals", T1, T0, false],
    ["TimestampGreaterThanEquals", T0, T0, true],
    ["TimestampEquals", "2012-10-09T19:00:55", "2012-10-09T19:00:55", false],
    ["TimestampEquals", T0, "not a timestamp", false],
    ["TimestampEquals", 1, T0, false],
    ["StringMatches", "file.txt", "*.txt", true],
    ["StringMatches", 5, "*", false],
  ] as Array<[string, Json, Json, boolean]>)("%s(%j, %j) is %s", (operator, variable, operand, expected) => {
    expect(test(operator, variable, operand)).toBe(expected);
  });

  it("compares …Path operators like their literal counterparts", () => {
    expect(test("NumericGreaterThanPath", 3, 2)).toBe(true);
    expect(test("StringEqualsPath", "x", "x")).toBe(true);
    expect(test("TimestampLessThanPath", T0, T1)).toBe(true);
    expect(test("BooleanEqualsPath", true, false)).toBe(false);
  });
});

describe("type checks", () => {
  const values: Json[] = [null, 0, 1.5, "", "2016-03-14T01:59:00Z", true, [], {}];

  it.each([
    ["IsNull", [true, false, false, false, false, false, false, false]],
    ["IsNumeric", [false, true, true, false, false, false, false, false]],
    ["IsString", [false, false, false, true, true, false, false, false]],
    ["IsBoolean", [false, false, false, false, false, true, false, false]],
    ["IsTimestamp", [false, false, false, false, true, false, false, false]],
  ])("%s", (operator, expected) => {
    expect(values.map((value) => test(operator, value, true))).toEqual(expected);
    expect(values.map((value) => test(operator, value, false))).toEqual(expected.map((is) => !is));
  });

  it("IsPresent asks whether there is a value at all", () => {
    expect([test("IsPresent", null, true), test("IsPresent", undefined, true), test("IsPresent", undefined, false)]).toEqual([
      true,
      false,
      true,
    ]);
  });
});
