import { describe, expect, it } from "vitest";
import { diagnose, machine } from "./validate-test-support.ts";

const messageAt = (definition: unknown, location: string) => diagnose(definition).find((d) => d.location === location)?.message;

describe("values, paths and expressions of one field", () => {
  it("names the range in the message", () => {
    const definition = machine({ W: { Type: "Wait", Seconds: -1, End: true } });
    expect(messageAt(definition, "/States/W/Seconds")).toBe("The value for the field 'Seconds' must be an INTEGER between 0 and 99999999");
  });

  it("mentions expressions in JSONata states", () => {
    const definition = machine({ W: { Type: "Wait", Seconds: "5", End: true } }, { QueryLanguage: "JSONata" });
    expect(messageAt(definition, "/States/W/Seconds")).toBe(
      "The value for the field 'Seconds' must be an INTEGER between 0 and 99999999 or a JSONata expression",
    );
  });

  it("refuses a value together with its path", () => {
    const definition = machine({ W: { Type: "Wait", Timestamp: "2026-01-01T00:00:00Z", TimestampPath: "$.t", End: true } });
    expect(diagnose(definition).map((d) => d.location)).toEqual(["/States/W"]);
  });

  it("does not read JSONata into JSONPath string fields", () => {
    const definition = machine({ F: { Type: "Fail", Error: "{% ( %}" } });
    expect(diagnose(definition)).toEqual([]);
  });
});
