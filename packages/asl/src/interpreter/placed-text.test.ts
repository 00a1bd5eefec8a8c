import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Json } from "../json.ts";
import { applyResultPath } from "../jsonpath/result-path.ts";
import { placedText } from "./placed-text.ts";

function placed(input: Json, resultPath: string, result: Json): string | undefined {
  return placedText(input, JSON.stringify(input), resultPath, result);
}

describe("placedText", () => {
  it("adds the new member last, as the output serialises", () => {
    const input = { a: 1, b: [true, null] };
    const output = applyResultPath(input, "$.r", { x: "y" });
    expect(placed(input, "$.r", { x: "y" })).toBe(JSON.stringify(output));
  });

  it("handles an empty input object and bracket notation", () => {
    expect(placed({}, "$.r", 5)).toBe('{"r":5}');
    expect(placed({ a: 1 }, "$['odd \"name\"']", "v")).toBe(JSON.stringify({ a: 1, 'odd "name"': "v" }));
  });

  it("declines what is not one member added to a plain object", () => {
    expect(placed({ r: 1, a: 2 }, "$.r", 5)).toBeUndefined();
    expect(placed({ a: 1 }, "$.r.s", 5)).toBeUndefined();
    expect(placed({ a: 1 }, "$", 5)).toBeUndefined();
    expect(placed({ a: 1 }, "$['7']", 5)).toBeUndefined();
    expect(placed([1, 2], "$.r", 5)).toBeUndefined();
    expect(placed("text", "$.r", 5)).toBeUndefined();
    expect(placed({ a: 1 }, "$$.r", 5)).toBeUndefined();
    expect(placedText({ a: 1 }, '{"a":1}', null, 5)).toBeUndefined();
    expect(placedText({ a: 1 }, '{"a":1}', undefined, 5)).toBeUndefined();
  });

  it("declines objects that JSON.stringify sees differently from a spread", () => {
    class Shaped {
      a = 1;
      toJSON() {
        return "shaped";
      }
    }
    const shaped = new Shaped() as unknown as Json;
    expect(placedText(shaped, JSON.stringify(shaped), "$.r", 5)).toBeUndefined();
  });

  it("always equals serialising the output applyResultPath builds", () => {
    const name = fc.oneof(fc.string(), fc.constantFrom("a", "r", "0", "12", "__proto__", "toJSON"));
    fc.assert(
      fc.property(fc.dictionary(name, fc.jsonValue()), name, fc.jsonValue(), (input, member, result) => {
        const resultPath = `$['${member.replaceAll("'", "")}']`;
        const text = placed(input as Json, resultPath, result as Json);
        if (text !== undefined) expect(text).toBe(JSON.stringify(applyResultPath(input as Json, resultPath, result as Json)));
      }),
    );
  });
});
