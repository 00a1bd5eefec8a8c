import { describe, expect, it } from "vitest";
import { errors, machine, pass, SCHEMA } from "./validate-test-support.ts";

describe("top level", () => {
  it.each([[[]], [3], ['"text"'], [true]])("refuses a definition that is not an object: %j", (value) => {
    expect(errors(value)).toEqual([`${SCHEMA} @ /`]);
  });

  it("requires StartAt and States", () => {
    expect(errors({ Comment: "x" })).toEqual([`${SCHEMA} @ /`]);
  });

  it("requires States to be a non-empty object", () => {
    expect(errors({ StartAt: "A", States: {} })).toEqual([`${SCHEMA} @ /States`]);
    expect(errors({ StartAt: "A", States: [] })).toEqual([`${SCHEMA} @ /States`]);
  });

  it("requires StartAt to be a string", () => {
    expect(errors({ StartAt: 1, States: { A: pass } })).toEqual([`${SCHEMA} @ /StartAt`]);
  });

  it("still checks transitions without a StartAt", () => {
    expect(errors({ States: { A: { Type: "Pass", Next: "B" } } })).toEqual([
      `${SCHEMA} @ /`,
      "MISSING_TRANSITION_TARGET @ /States/A/Next",
      "MISSING_END_STATE @ /States",
    ]);
  });

  it("refuses unknown top-level fields", () => {
    expect(errors(machine({ A: pass }, { Foo: 1 }))).toEqual([`${SCHEMA} @ /Foo`]);
  });

  it.each([[0], [-5], [1.5], ["10"]])("requires TimeoutSeconds to be a positive integer, not %j", (timeout) => {
    expect(errors(machine({ A: pass }, { TimeoutSeconds: timeout }))).toEqual([`${SCHEMA} @ /TimeoutSeconds`]);
  });

  it("accepts the optional top-level fields", () => {
    expect(errors(machine({ A: pass }, { TimeoutSeconds: 10, Version: "1.0", Comment: "c", QueryLanguage: "JSONata" }))).toEqual([]);
  });

  it("checks QueryLanguage, Version and Comment", () => {
    expect(errors(machine({ A: pass }, { QueryLanguage: "XPath", Version: 1, Comment: {} }))).toEqual([
      `${SCHEMA} @ /QueryLanguage`,
      `${SCHEMA} @ /Version`,
      `${SCHEMA} @ /Comment`,
    ]);
  });
});

describe("states", () => {
  it("requires each state to be an object with a known Type", () => {
    const definition = machine({ A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", Next: "C" }, C: { Type: "Nope", Next: "D" }, D: [] });
    expect(errors(definition)).toEqual([`${SCHEMA} @ /States/C/Type`, `${SCHEMA} @ /States/D`, "MISSING_END_STATE @ /States"]);
    expect(errors(machine({ A: { End: true } }))).toEqual([`${SCHEMA} @ /States/A`]);
  });

  it("lets a JSONPath machine hold JSONata states", () => {
    expect(errors(machine({ A: { Type: "Pass", QueryLanguage: "JSONata", Output: "{% 1 %}", End: true } }))).toEqual([]);
  });

  it("refuses JSONPath states in a JSONata machine", () => {
    const definition = machine({ A: { Type: "Pass", QueryLanguage: "JSONPath", End: true } }, { QueryLanguage: "JSONata" });
    expect(errors(definition)).toEqual([`${SCHEMA} @ /States/A/QueryLanguage`]);
  });

  it("refuses an unknown state QueryLanguage", () => {
    expect(errors(machine({ A: { Type: "Pass", QueryLanguage: "jsonata", End: true } }))).toEqual([`${SCHEMA} @ /States/A/QueryLanguage`]);
  });
});

describe("nested blocks", () => {
  const parallel = (branch: unknown) => ({ Type: "Parallel", Branches: [branch], End: true });

  it("checks branch fields", () => {
    const definition = machine({ P: parallel({ StartAt: "B", States: { B: pass }, TimeoutSeconds: 3 }) });
    expect(errors(definition)).toEqual([`${SCHEMA} @ /States/P/Branches[0]/TimeoutSeconds`]);
  });

  it("refuses a branch that is not an object", () => {
    expect(errors(machine({ P: parallel("B") }))).toEqual([`${SCHEMA} @ /States/P/Branches[0]`]);
  });

  it("stops at maxNestingDepth", () => {
    const definition = machine({ P: parallel({ StartAt: "Q", States: { Q: parallel({ StartAt: "R", States: { R: pass } }) } }) });
    expect(errors(definition, { maxNestingDepth: 2 })).toEqual([]);
    expect(errors(definition, { maxNestingDepth: 1 })).toEqual(["TOO_DEEPLY_NESTED @ /States/P/Branches[0]/States/Q/Branches[0]"]);
  });

  it("stops at maxStates, reporting it once", () => {
    const definition = machine({
      P: parallel({ StartAt: "Q", States: { Q: { Type: "Pass", Next: "R" }, R: pass } }),
      S: { Type: "Parallel", Branches: [{ StartAt: "T", States: { T: pass } }], End: true },
    });
    expect(errors(definition, { maxStates: 5 })).toContain("MISSING_TRANSITION_TARGET @ /States/S");
    expect(errors(definition, { maxStates: 4 }).filter((e) => e.startsWith("TOO_MANY_STATES"))).toEqual([
      "TOO_MANY_STATES @ /States/S/Branches[0]/States",
    ]);
    expect(errors(definition, { maxStates: 1 })).toEqual(["TOO_MANY_STATES @ /States"]);
  });
});
