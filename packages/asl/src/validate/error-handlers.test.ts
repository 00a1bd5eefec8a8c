import { describe, expect, it } from "vitest";
import { diagnose, errors, machine, SCHEMA } from "./validate-test-support.ts";

const task = (fields: Record<string, unknown>, top: Record<string, unknown> = {}) =>
  machine({ T: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Next: "H", ...fields }, H: { Type: "Succeed" } }, top);

describe("Retry", () => {
  it("accepts a full retrier", () => {
    const retrier = {
      ErrorEquals: ["A", "B"],
      IntervalSeconds: 2,
      MaxAttempts: 0,
      BackoffRate: 1.5,
      MaxDelaySeconds: 10,
      JitterStrategy: "FULL",
      Comment: "c",
    };
    expect(
      errors(task({ Retry: [retrier, { ErrorEquals: ["States.ALL"] }], Catch: [{ ErrorEquals: ["States.ALL"], Next: "H" }] })),
    ).toEqual([]);
  });

  it.each([
    ["IntervalSeconds", 0],
    ["IntervalSeconds", 1.5],
    ["MaxAttempts", -1],
    ["BackoffRate", 0.5],
    ["BackoffRate", "2"],
    ["MaxDelaySeconds", 0],
    ["JitterStrategy", "SOME"],
    ["Comment", 1],
  ])("refuses %s %j", (field, value) => {
    expect(errors(task({ Retry: [{ ErrorEquals: ["A"], [field]: value }] }))).toContain(`${SCHEMA} @ /States/T/Retry[0]/${field}`);
  });

  it("needs non-empty ErrorEquals of strings", () => {
    expect(errors(task({ Retry: [{ MaxAttempts: 1 }] }))).toContain(`${SCHEMA} @ /States/T/Retry[0]`);
    for (const names of [[], [""], [1], "States.ALL"]) {
      expect(errors(task({ Retry: [{ ErrorEquals: names }] }))).toContain(`${SCHEMA} @ /States/T/Retry[0]/ErrorEquals`);
    }
  });

  it("keeps States.ALL alone and last", () => {
    expect(errors(task({ Retry: [{ ErrorEquals: ["States.ALL", "A"] }] }))).toEqual([`${SCHEMA} @ /States/T/Retry[0]/ErrorEquals`]);
    expect(errors(task({ Retry: [{ ErrorEquals: ["States.ALL"] }, { ErrorEquals: ["A"] }] }))).toEqual([
      `${SCHEMA} @ /States/T/Retry[0]/ErrorEquals`,
    ]);
  });

  it("refuses a Retry that is not an array of objects, and unknown fields", () => {
    expect(errors(task({ Retry: {} }))).toContain(`${SCHEMA} @ /States/T/Retry`);
    expect(errors(task({ Retry: [1] }))).toContain(`${SCHEMA} @ /States/T/Retry[0]`);
    expect(errors(task({ Retry: [{ ErrorEquals: ["A"], Next: "H" }] }))).toContain(`${SCHEMA} @ /States/T/Retry[0]/Next`);
  });
});

describe("Catch", () => {
  it("needs Next", () => {
    expect(errors(task({ Catch: [{ ErrorEquals: ["A"] }] }))).toContain(`${SCHEMA} @ /States/T/Catch[0]`);
  });

  it("keeps States.ALL last", () => {
    expect(
      errors(
        task({
          Catch: [
            { ErrorEquals: ["States.ALL"], Next: "H" },
            { ErrorEquals: ["A"], Next: "H" },
          ],
        }),
      ),
    ).toEqual([`${SCHEMA} @ /States/T/Catch[0]/ErrorEquals`]);
  });

  it("checks ResultPath and Assign in JSONPath, and refuses Output", () => {
    const catcher = { ErrorEquals: ["A"], Next: "H", ResultPath: "$$.x", Assign: { "e.$": "$.Error[" }, Output: {} };
    expect(errors(task({ Catch: [catcher] }))).toEqual([
      `${SCHEMA} @ /States/T/Catch[0]/Output`,
      `${SCHEMA} @ /States/T/Catch[0]/ResultPath`,
      `${SCHEMA} @ /States/T/Catch[0]/Assign/e.$`,
    ]);
  });

  it("checks Output and Assign in JSONata, and refuses ResultPath", () => {
    const catcher = { ErrorEquals: ["A"], Next: "H", ResultPath: "$.e", Output: "{% $states.errorOutput %}", Assign: { e: "{% ] %}" } };
    const found = diagnose(task({ Catch: [catcher] }, { QueryLanguage: "JSONata" }));
    expect(found.map((d) => `${d.code} @ ${d.location}`)).toEqual([
      `${SCHEMA} @ /States/T/Catch[0]/ResultPath`,
      `${SCHEMA} @ /States/T/Catch[0]/Assign/e`,
    ]);
  });

  it("is checked on Parallel and Map as well", () => {
    const definition = machine({
      P: {
        Type: "Parallel",
        Branches: [{ StartAt: "B", States: { B: { Type: "Succeed" } } }],
        Catch: [{ ErrorEquals: [], Next: "M" }],
        Next: "M",
      },
      M: {
        Type: "Map",
        ItemProcessor: { StartAt: "I", States: { I: { Type: "Succeed" } } },
        Retry: [{ ErrorEquals: ["A"], MaxAttempts: -1 }],
        End: true,
      },
    });
    expect(errors(definition)).toEqual([`${SCHEMA} @ /States/P/Catch[0]/ErrorEquals`, `${SCHEMA} @ /States/M/Retry[0]/MaxAttempts`]);
  });
});
