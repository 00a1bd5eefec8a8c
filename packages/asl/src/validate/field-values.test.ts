import { describe, expect, it } from "vitest";
import { DiagnosticList } from "./diagnostics.ts";
import {
  atMostOne,
  checkEnum,
  checkInteger,
  checkKnownFields,
  describeRange,
  exactlyOne,
  isInteger,
  requireFields,
} from "./field-values.ts";

describe("field checks", () => {
  it("treats only safe integers as integers", () => {
    expect([1, 0, -3, 1.5, 2 ** 60, Number.NaN, "1"].map(isInteger)).toEqual([true, true, true, false, false, false, false]);
  });

  it("describes ranges", () => {
    expect(describeRange({ min: 1, max: 2 })).toBe(" between 1 and 2");
    expect(describeRange({ min: 1 })).toBe(" greater than or equal to 1");
    expect(describeRange({ max: 2 })).toBe(" less than or equal to 2");
    expect(describeRange({})).toBe("");
  });

  it("reports at the holder for missing or conflicting fields, at the field for bad values", () => {
    const d = new DiagnosticList();
    const object = { a: 1, b: "x", c: 3 };
    expect(requireFields(d, object, ["a", "z", "y"], "/o")).toBe(false);
    expect(atMostOne(d, object, ["a", "c"], "/o")).toBe(false);
    expect(exactlyOne(d, object, ["y", "z"], "/o")).toBe(false);
    expect(checkInteger(d, object, "a", "/o", { max: 0 })).toBe(false);
    expect(checkEnum(d, object, "b", "/o", ["X"])).toBe(false);
    checkKnownFields(d, object, ["a", "b"], "/o");
    expect(d.items.map((x) => `${x.location} ${x.message}`)).toEqual([
      "/o These fields are required: [z, y]",
      "/o Only one of these fields may be set: [a, c]",
      "/o Exactly one of these fields must be set: [y, z]",
      "/o/a The value for the field 'a' must be an INTEGER less than or equal to 0",
      "/o/b The value for the field 'b' must be one of [X]",
      "/o/c Field 'c' is not supported",
    ]);
  });

  it("lets absent optional fields pass", () => {
    const d = new DiagnosticList();
    expect(checkInteger(d, {}, "a", "/o", { min: 1 })).toBe(true);
    expect(checkEnum(d, {}, "a", "/o", ["X"])).toBe(true);
    expect(d.items).toEqual([]);
  });
});
