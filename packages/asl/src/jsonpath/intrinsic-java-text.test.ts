import { describe, expect, it } from "vitest";
import { javaNumber, javaText } from "./intrinsic-java-text.ts";

describe("javaText", () => {
  it("prints scalars bare", () => {
    expect([javaText("a b"), javaText(true), javaText(null), javaText(3)]).toEqual(["a b", "true", "null", "3"]);
  });

  it("prints objects and arrays like Java maps and lists", () => {
    expect(javaText({ Arg1: 1, Arg2: [], s: "x", n: null, o: { k: [true, "y"] } })).toBe("{Arg1=1, Arg2=[], s=x, n=null, o={k=[true, y]}}");
    expect(javaText([])).toBe("[]");
    expect(javaText({})).toBe("{}");
  });
});

// Expected values printed by Java's Double.toString on a JVM.
describe("javaNumber", () => {
  it("prints integers as integers", () => {
    expect([javaNumber(0), javaNumber(-0), javaNumber(-12), javaNumber(9007199254740991)]).toEqual(["0", "0", "-12", "9007199254740991"]);
  });

  it("prints other numbers as Double.toString", () => {
    expect([1.1, 0.001, 9999999.5, 0.0001, 12345678.9, 1.5e300, -2.5e-7].map(javaNumber)).toEqual([
      "1.1",
      "0.001",
      "9999999.5",
      "1.0E-4",
      "1.23456789E7",
      "1.5E300",
      "-2.5E-7",
    ]);
  });
});
