import { describe, expect, it } from "vitest";
import { DiagnosticList } from "./diagnostics.ts";
import { readDefinition } from "./read-input.ts";

function read(input: unknown) {
  const d = new DiagnosticList();
  const value = readDefinition(input, d);
  return { value, found: d.items.map((x) => `${x.code} @ ${x.location}`) };
}

describe("reading the definition", () => {
  it("parses JSON text", () => {
    expect(read('{"StartAt": "A"}')).toEqual({ value: { StartAt: "A" }, found: [] });
    expect(read("[1, 2]")).toEqual({ value: [1, 2], found: [] });
  });

  it.each([["{ nope"], ["{} {}"], ["NaN"], ["'single'"]])("reports text that is not JSON once: %j", (text) => {
    expect(read(text)).toEqual({ value: undefined, found: ["INVALID_JSON_DESCRIPTION @ /"] });
  });

  it.each([[""], ["  \n"], ["null"], [null], [undefined]])("reports a missing definition: %j", (input) => {
    expect(read(input)).toEqual({ value: undefined, found: ["MISSING_DESCRIPTION @ /"] });
  });

  it("copies a parsed value", () => {
    const input = { StartAt: "A", States: { A: { Type: "Pass", End: true } } };
    const { value } = read(input);
    expect(value).toEqual(input);
    expect(value).not.toBe(input);
  });

  it("refuses values JSON cannot hold", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(read(cyclic).found).toEqual(["INVALID_JSON_DESCRIPTION @ /"]);
    expect(read(10n).found).toEqual(["INVALID_JSON_DESCRIPTION @ /"]);
    expect(read(() => 1).found).toEqual(["INVALID_JSON_DESCRIPTION @ /"]);
  });
});
