import { describe, expect, it } from "vitest";
import { diagnose, locateAll } from "./diagnose.ts";

const text = `{
  "StartAt": "A",
  "States": {
    "A": {
      "Type": "Pass",
      "Next": "Missing"
    }
  }
}`;

describe("diagnose", () => {
  it("places the validator's diagnostics on the lines they are about", () => {
    const { diagnostics, parsed } = diagnose(text);
    const missing = diagnostics.find((d) => d.code === "MISSING_TRANSITION_TARGET");
    expect(missing).toMatchObject({ severity: "ERROR", location: "/States/A/Next", line: 6 });
    expect(parsed).toEqual(JSON.parse(text));
  });

  it("has nothing to say about a valid definition", () => {
    expect(diagnose('{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}').diagnostics).toEqual([]);
  });

  it("reports broken JSON at the line of the first syntax error, without a parsed value", () => {
    const result = diagnose('{\n  "StartAt": "A",\n  "States": {\n}');
    expect(result.parsed).toBeUndefined();
    expect(result.diagnostics).toEqual([expect.objectContaining({ severity: "ERROR", code: "INVALID_JSON_DESCRIPTION", line: 4 })]);
  });

  it("places diagnostics the server sent back", () => {
    expect(locateAll(text, [{ severity: "ERROR", code: "X", message: "m", location: "/States/A/Type" }])[0]!.line).toBe(5);
  });
});
