import { describe, expect, it } from "vitest";
import { diagnose, errors, machine, pass, SCHEMA, warnings } from "./validate-test-support.ts";

describe("transition targets", () => {
  it("requires StartAt to name a state", () => {
    expect(errors({ StartAt: "Nope", States: { A: pass } })).toEqual([
      "MISSING_TRANSITION_TARGET @ /StartAt",
      "MISSING_TRANSITION_TARGET @ /States/A",
    ]);
  });

  it("requires Next to name a state", () => {
    const found = diagnose(machine({ A: { Type: "Pass", Next: "Charge" } }));
    expect(found).toContainEqual({
      severity: "ERROR",
      code: "MISSING_TRANSITION_TARGET",
      message: "Missing 'Next' target: Charge",
      location: "/States/A/Next",
    });
  });

  it("checks Default, choice rule and catcher targets", () => {
    const definition = machine({
      C: { Type: "Choice", Choices: [{ Variable: "$.x", IsNull: true, Next: "Gone" }], Default: "Away" },
      T: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Catch: [{ ErrorEquals: ["States.ALL"], Next: "Lost" }], End: true },
    });
    expect(errors(definition)).toEqual([
      "MISSING_TRANSITION_TARGET @ /States/C/Default",
      "MISSING_TRANSITION_TARGET @ /States/C/Choices[0]/Next",
      "MISSING_TRANSITION_TARGET @ /States/T/Catch[0]/Next",
      "MISSING_TRANSITION_TARGET @ /States/T",
    ]);
  });

  it("keeps a branch's transitions inside the branch", () => {
    const definition = machine({
      P: { Type: "Parallel", Branches: [{ StartAt: "B", States: { B: { Type: "Pass", Next: "Done" } } }], Next: "Done" },
      Done: { Type: "Succeed" },
    });
    expect(errors(definition)).toEqual([
      "MISSING_TRANSITION_TARGET @ /States/P/Branches[0]/States/B/Next",
      "MISSING_END_STATE @ /States/P/Branches[0]/States",
    ]);
  });

  it("keeps a Map processor's StartAt inside the processor", () => {
    const definition = machine({ M: { Type: "Map", ItemProcessor: { StartAt: "M", States: { I: pass } }, End: true } });
    expect(errors(definition)).toEqual([
      "MISSING_TRANSITION_TARGET @ /States/M/ItemProcessor/StartAt",
      "MISSING_TRANSITION_TARGET @ /States/M/ItemProcessor/States/I",
    ]);
  });
});

describe("Next and End", () => {
  it("refuses Next together with End", () => {
    expect(errors(machine({ A: { Type: "Pass", Next: "B", End: true }, B: pass }))).toEqual([`${SCHEMA} @ /States/A`]);
  });

  it.each([[{ Type: "Pass" }], [{ Type: "Wait", Seconds: 1, End: false }], [{ Type: "Task", Resource: "arn:x:y" }]])(
    "requires a continuing state to have Next or End: true: %j",
    (state) => {
      expect(errors(machine({ A: state }))).toEqual([`${SCHEMA} @ /States/A`, "MISSING_END_STATE @ /States"]);
    },
  );

  it("checks the types of Next and End", () => {
    expect(errors(machine({ A: { Type: "Pass", Next: 3 } }))).toContain(`${SCHEMA} @ /States/A/Next`);
    expect(errors(machine({ A: { Type: "Pass", End: "yes" } }))).toContain(`${SCHEMA} @ /States/A/End`);
  });

  it("refuses Next and End on Choice, Succeed and Fail", () => {
    const definition = machine({
      C: { Type: "Choice", Choices: [{ Variable: "$.x", IsNull: true, Next: "S" }], Default: "F", Next: "S" },
      S: { Type: "Succeed", End: true },
      F: { Type: "Fail", Next: "S" },
    });
    expect(errors(definition)).toEqual([`${SCHEMA} @ /States/C/Next`, `${SCHEMA} @ /States/S/End`, `${SCHEMA} @ /States/F/Next`]);
  });

  it("requires a terminal state in every block", () => {
    const definition = machine({ A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", Next: "A" } });
    expect(errors(definition)).toEqual(["MISSING_END_STATE @ /States"]);
  });
});

describe("reachability", () => {
  it("refuses a state nothing transitions to, as AWS does", () => {
    const found = diagnose(machine({ A: pass, Orphan: pass }));
    expect(found).toEqual([
      { severity: "ERROR", code: "MISSING_TRANSITION_TARGET", message: 'State "Orphan" is not reachable.', location: "/States/Orphan" },
    ]);
  });

  it("warns about states only reached from a cycle nothing enters", () => {
    const definition = machine({ A: pass, X: { Type: "Pass", Next: "Y" }, Y: { Type: "Pass", Next: "X" } });
    expect(errors(definition)).toEqual([]);
    expect(warnings(definition)).toEqual(["UNREACHABLE_STATE @ /States/X", "UNREACHABLE_STATE @ /States/Y"]);
  });

  it("follows every kind of edge", () => {
    const definition = machine({
      C: { Type: "Choice", Choices: [{ Variable: "$.x", IsNull: true, Next: "T" }], Default: "D" },
      T: { Type: "Task", Resource: "arn:x:y", Catch: [{ ErrorEquals: ["States.ALL"], Next: "Caught" }], End: true },
      D: { Type: "Succeed" },
      Caught: { Type: "Fail" },
    });
    expect(diagnose(definition)).toEqual([]);
  });
});
