import { describe, expect, it } from "vitest";
import { ownValue, setJsonProperty } from "./own-property.ts";

describe("ownValue", () => {
  it("finds own properties only: a name like constructor, toString or valueOf is not Object.prototype's", () => {
    const handlers: Record<string, string> = { charge: "h1" };
    expect(ownValue(handlers, "charge")).toBe("h1");
    for (const builtIn of ["constructor", "toString", "valueOf", "hasOwnProperty", "__proto__"]) {
      expect(ownValue(handlers, builtIn)).toBeUndefined();
    }
    expect(ownValue({ constructor: "mine" }, "constructor")).toBe("mine");
  });
});

describe("setJsonProperty", () => {
  it("sets ordinary and __proto__ keys as own properties", () => {
    const target = {};
    setJsonProperty(target, "a", 1);
    setJsonProperty(target, "__proto__", { b: 2 });
    expect(Object.entries(target)).toEqual([
      ["a", 1],
      ["__proto__", { b: 2 }],
    ]);
  });
});
