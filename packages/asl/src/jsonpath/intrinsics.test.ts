import { describe, expect, it } from "vitest";
import { runtimeError } from "../errors.ts";
import type { Json } from "../json.ts";
import { failureOf, readTestPath, run, testScope } from "./intrinsic-test-support.ts";
import { evaluateIntrinsic, evaluateIntrinsicCall, INTRINSIC_FUNCTION_NAMES, isIntrinsicCall, parseIntrinsic } from "./intrinsics.ts";

describe("isIntrinsicCall", () => {
  it("recognises strings starting with a States. function", () => {
    expect(isIntrinsicCall("States.Format('{}', $.a)")).toBe(true);
    expect(isIntrinsicCall("$.a")).toBe(false);
    expect(isIntrinsicCall("$$.Execution.Id")).toBe(false);
    expect(isIntrinsicCall(" States.Array()")).toBe(false);
  });
});

describe("parseIntrinsic", () => {
  it("parses each distinct string once", () => {
    expect(parseIntrinsic("States.Array(1, 2)")).toBe(parseIntrinsic("States.Array(1, 2)"));
  });

  it("throws the same States.Runtime error for a malformed call every time", () => {
    const first = failureOf(() => parseIntrinsic("States.Array(1"));
    expect(failureOf(() => parseIntrinsic("States.Array(1"))).toBe(first);
    expect(first.error).toBe("States.Runtime");
  });

  it("exports the function names for the validator", () => {
    expect(INTRINSIC_FUNCTION_NAMES).toContain("States.JsonMerge");
  });
});

describe("evaluateIntrinsic", () => {
  it("reads path arguments from the data, the context and the variables", () => {
    const scope = testScope({ input: { a: "in" }, variables: { v: { field: "var" } } });
    expect(evaluateIntrinsic("States.Array($.a, $$.Execution.Input.a, $v.field, $)", { a: "data" }, scope, readTestPath)).toEqual([
      "data",
      "in",
      "var",
      { a: "data" },
    ]);
  });

  it("hands every path to the injected reader with the data and scope", () => {
    const calls: unknown[] = [];
    const scope = testScope();
    const reader = (path: string, data: Json, s: typeof scope): Json => {
      calls.push([path, data, s === scope]);
      return path.length;
    };
    expect(evaluateIntrinsic("States.MathAdd($.ab, $$.c)", { x: 1 }, scope, reader)).toBe(8);
    expect(calls).toEqual([
      ["$.ab", { x: 1 }, true],
      ["$$.c", { x: 1 }, true],
    ]);
  });

  it("lets the reader's failure through unchanged", () => {
    const error = runtimeError("The JSONPath '$.missing' could not be found");
    const thrown = failureOf(() =>
      evaluateIntrinsic("States.Base64Encode($.missing)", {}, testScope(), () => {
        throw error;
      }),
    );
    expect(thrown).toBe(error);
  });

  it("evaluates deeply nested calls", () => {
    const input = { arn: "arn:aws:imagebuilder:us-east-1:123:image-recipe/my-recipe.v1/1.0.0" };
    const expr =
      "States.Format('{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.arn, '/'), 1), '.'), 0), States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.arn, '/'), 1), '.'), 1))";
    expect(run(expr, input)).toBe("my-recipe.v1");
  });

  it("evaluates an already parsed call", () => {
    expect(evaluateIntrinsicCall(parseIntrinsic("States.ArrayLength($.a)"), { a: [1, 2] }, testScope(), readTestPath)).toBe(2);
  });

  it("reports a malformed call as States.Runtime", () => {
    expect(failureOf(() => run("States.Nope()")).error).toBe("States.Runtime");
  });
});
