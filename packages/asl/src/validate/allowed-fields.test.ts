import { describe, expect, it } from "vitest";
import { fieldAllowed, STATE_FIELDS } from "./allowed-fields.ts";
import { diagnose, errors, machine, SCHEMA } from "./validate-test-support.ts";

const jsonata = { QueryLanguage: "JSONata" };

describe("fields per state type and query language", () => {
  it.each(["InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath"])("refuses %s in a JSONata Task", (field) => {
    const definition = machine({ T: { Type: "Task", Resource: "arn:x:y", [field]: "$", End: true } }, jsonata);
    const found = diagnose(definition);
    expect(found.map((d) => `${d.code} @ ${d.location}`)).toEqual([`${SCHEMA} @ /States/T/${field}`]);
    expect(found[0]?.message).toBe(`The field '${field}' is not supported in JSONata states (it belongs to JSONPath)`);
  });

  it.each(["ItemsPath", "MaxConcurrencyPath", "ToleratedFailureCountPath", "ToleratedFailurePercentagePath"])(
    "refuses %s in a JSONata Map",
    (field) => {
      const definition = machine(
        { M: { Type: "Map", ItemProcessor: { StartAt: "I", States: { I: { Type: "Pass", End: true } } }, [field]: "$.x", End: true } },
        jsonata,
      );
      expect(errors(definition)).toEqual([`${SCHEMA} @ /States/M/${field}`]);
    },
  );

  it.each([
    ["Pass", "Result"],
    ["Wait", "SecondsPath"],
    ["Fail", "ErrorPath"],
  ])("refuses the JSONPath-only field of a JSONata %s: %s", (type, field) => {
    expect(fieldAllowed(type as "Pass", "JSONata", field)).toBe(false);
    expect(fieldAllowed(type as "Pass", "JSONPath", field)).toBe(true);
  });

  it.each(["Arguments", "Output"])("refuses %s in a JSONPath Task", (field) => {
    const definition = machine({ T: { Type: "Task", Resource: "arn:x:y", [field]: {}, End: true } });
    expect(errors(definition)).toEqual([`${SCHEMA} @ /States/T/${field}`]);
  });

  it("refuses fields no state of the type has", () => {
    const found = diagnose(machine({ A: { Type: "Pass", Resource: "arn:x:y", Foo: 1, End: true } }));
    expect(found.map((d) => `${d.code} @ ${d.location}`)).toEqual([`${SCHEMA} @ /States/A/Resource`, `${SCHEMA} @ /States/A/Foo`]);
    expect(found[1]?.message).toBe("Field 'Foo' is not supported by Pass states");
  });

  it("has no Assign on Succeed and Fail, and no input/output fields on Fail", () => {
    expect(fieldAllowed("Succeed", "JSONPath", "Assign")).toBe(false);
    expect(fieldAllowed("Fail", "JSONata", "Assign")).toBe(false);
    expect(fieldAllowed("Fail", "JSONPath", "InputPath")).toBe(false);
    expect(fieldAllowed("Fail", "JSONata", "Output")).toBe(false);
  });

  it("gives Arguments to JSONata Task and Parallel only", () => {
    const withArguments = Object.entries(STATE_FIELDS)
      .filter(([, fields]) => fields.JSONata.includes("Arguments"))
      .map(([type]) => type);
    expect(withArguments).toEqual(["Task", "Parallel"]);
  });

  it("accepts the common fields everywhere", () => {
    for (const type of Object.keys(STATE_FIELDS)) {
      for (const field of ["Type", "Comment", "QueryLanguage"]) expect(fieldAllowed(type as "Pass", "JSONata", field)).toBe(true);
    }
  });
});
