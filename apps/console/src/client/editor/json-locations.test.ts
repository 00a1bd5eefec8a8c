import { describe, expect, it } from "vitest";
import { jsonLocations, lineOfLocation, placeOfLocation } from "./json-locations.ts";

const text = `{
  "StartAt": "Pick",
  "States": {
    "Pick": {
      "Type": "Choice",
      "Choices": [
        { "Variable": "$.x", "NumericEquals": 3, "Next": "Nowhere" },
        {
          "Variable": "$.y",
          "Next": "Done"
        }
      ]
    },
    "Done": { "Type": "Succeed" }
  }
}`;

describe("jsonLocations", () => {
  it("finds the line of members and array elements, addressed like diagnostics", () => {
    const locations = jsonLocations(text);
    expect(locations.syntaxError).toBeUndefined();
    expect(lineOfLocation(locations, "/")).toBe(1);
    expect(lineOfLocation(locations, "/StartAt")).toBe(2);
    expect(lineOfLocation(locations, "/States/Pick")).toBe(4);
    expect(lineOfLocation(locations, "/States/Pick/Choices[0]/Next")).toBe(7);
    expect(lineOfLocation(locations, "/States/Pick/Choices[1]")).toBe(8);
    expect(lineOfLocation(locations, "/States/Pick/Choices[1]/Next")).toBe(10);
    expect(lineOfLocation(locations, "/States/Done/Type")).toBe(14);
  });

  it("spans a member's key and an array element's value, for the editor to underline", () => {
    const locations = jsonLocations(text);
    const spanned = (location: string) => {
      const span = placeOfLocation(locations, location)?.span;
      return span && text.slice(span.from, span.to);
    };
    expect(spanned("/States/Pick/Choices[0]/Next")).toBe('"Next"');
    expect(spanned("/States/Done/Next")).toBe('"Done"');
    expect(spanned("/States/Pick/Choices[0]")).toBe('{ "Variable": "$.x", "NumericEquals": 3, "Next": "Nowhere" }');
  });

  it("falls back to the enclosing value for a location naming something missing", () => {
    const locations = jsonLocations(text);
    expect(lineOfLocation(locations, "/States/Done/Next")).toBe(14);
    expect(lineOfLocation(locations, "/States/Pick/Choices[1]/NumericEquals")).toBe(8);
    expect(lineOfLocation(locations, "/States/Ghost/Type")).toBe(3);
  });

  it("reads escaped keys the way JSON.parse does", () => {
    const locations = jsonLocations('{\n "a\\"b": {\n  "c\\u0041": 1 }\n}');
    expect(lineOfLocation(locations, '/a"b/cA')).toBe(3);
  });

  it("reports the line of the first syntax error", () => {
    expect(jsonLocations('{\n  "a": 1,\n  "b": 2\n  "c": 3\n}').syntaxError).toEqual({
      line: 4,
      offset: 23,
      message: "Expected ',' or '}' after a property",
    });
    expect(jsonLocations('{\n  "a": tru\n}').syntaxError?.line).toBe(2);
    expect(jsonLocations('{\n  "a": "open\n}').syntaxError).toEqual({ line: 2, offset: 9, message: "Unterminated string" });
    expect(jsonLocations("{}\n\n x").syntaxError?.line).toBe(3);
    expect(jsonLocations("").syntaxError?.line).toBe(1);
  });

  it("agrees with JSON.parse on what is valid", () => {
    for (const sample of ['{"a":[1,2,{"b":null}]}', "[]", '"s"', "-1.5e3", '{"a":1,}', "[1 2]", "01", '{"a" 1}', '"\\x"', '"a\tb"']) {
      let parses = true;
      try {
        JSON.parse(sample);
      } catch {
        parses = false;
      }
      expect(jsonLocations(sample).syntaxError === undefined).toBe(parses);
    }
  });
});
