import { describe, expect, it } from "vitest";
import { diagnose, errors, machine, pass } from "./validate-test-support.ts";

describe("state names", () => {
  it("accepts names up to 80 characters, spaces and punctuation included", () => {
    expect(errors(machine({ ["n".repeat(80)]: pass }))).toEqual([]);
    expect(errors(machine({ "Hello World example?": pass }))).toEqual([]);
  });

  it("refuses longer names, empty names and control characters", () => {
    const long = "n".repeat(81);
    expect(errors(machine({ [long]: pass }))).toEqual([`INVALID_STATE_NAME @ /States/${long}`]);
    expect(errors(machine({ "": pass }))).toEqual(["INVALID_STATE_NAME @ /States/"]);
    expect(errors(machine({ "a\u0007b": pass }))).toEqual(["INVALID_STATE_NAME @ /States/a\u0007b"]);
  });

  it("counts characters, not UTF-16 units", () => {
    expect(errors(machine({ ["😀".repeat(80)]: pass }))).toEqual([]);
  });

  it("refuses a name used again in another block", () => {
    const definition = machine({
      Work: { Type: "Parallel", Branches: [{ StartAt: "Work", States: { Work: pass } }], End: true },
    });
    const found = diagnose(definition);
    expect(found).toEqual([
      {
        severity: "ERROR",
        code: "DUPLICATE_STATE_NAME",
        message: "Duplicate State name: Work",
        location: "/States/Work/Branches[0]/States/Work",
      },
    ]);
  });
});
