import { describe, expect, it } from "vitest";
import { StatesError } from "../errors.ts";
import type { EvaluationScope } from "../evaluation-scope.ts";
import type { Json } from "../json.ts";
import { isPayloadTemplateKey, resolvePayloadTemplate } from "./payload-template.ts";

const scope: EvaluationScope = { context: { Execution: { Name: "run-1" } }, variables: { limit: 3 }, random: () => 0 };
const noIntrinsics = (expression: string): Json => {
  throw new Error(`unexpected intrinsic ${expression}`);
};

describe("isPayloadTemplateKey", () => {
  it.each([
    ["a.$", true],
    ["a.b.$", true],
    [".$", false],
    ["a$", false],
    ["a.$.b", false],
  ])("%s -> %s", (key, expected) => expect(isPayloadTemplateKey(key)).toBe(expected));
});

describe("resolvePayloadTemplate", () => {
  it("takes .$ values from the input, the context object and variables, dropping the .$", () => {
    const template = { "who.$": "$.user.name", "run.$": "$$.Execution.Name", "max.$": "$limit", "all.$": "$", static: "$.not.a.path" };
    const input = { user: { name: "ada" } };
    expect(resolvePayloadTemplate(template, input, scope, noIntrinsics)).toEqual({
      who: "ada",
      run: "run-1",
      max: 3,
      all: input,
      static: "$.not.a.path",
    });
  });

  it("refuses a field given both literally and as .$ rather than pick one (definitions stored before validation refused it)", () => {
    for (const template of [
      { FunctionName: "orders-fn", "FunctionName.$": "$.fn" },
      { "FunctionName.$": "$.fn", FunctionName: "orders-fn" },
    ]) {
      let thrown: unknown;
      try {
        resolvePayloadTemplate(template, { fn: "states-startExecution" }, scope, noIntrinsics);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(StatesError);
      expect((thrown as StatesError).error).toBe("States.Runtime");
      expect((thrown as StatesError).causeText).toMatch(/^The field 'FunctionName' is given twice/);
    }
  });

  it("keeps a field named __proto__ as a field, never as the result's prototype", () => {
    const template = JSON.parse('{"__proto__": {"polluted.$": "$.v"}, "x.$": "$.v"}') as Json;
    const result = resolvePayloadTemplate(template, { v: 1 }, scope, noIntrinsics) as Record<string, unknown>;
    expect(Object.hasOwn(result, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(JSON.stringify(result)).toBe('{"__proto__":{"polluted":1},"x":1}');
  });

  it("resolves nested objects and arrays", () => {
    const template = { outer: { "inner.$": "$.v", list: [{ "x.$": "$.v" }, 1, "two"] } };
    expect(resolvePayloadTemplate(template, { v: 7 }, scope, noIntrinsics)).toEqual({ outer: { inner: 7, list: [{ x: 7 }, 1, "two"] } });
  });

  it("passes an intrinsic call to the evaluator it is given", () => {
    const calls: string[] = [];
    const evaluate = (expression: string): Json => {
      calls.push(expression);
      return "formatted";
    };
    const template = { "msg.$": "States.Format('hi {}', $.name)" };
    expect(resolvePayloadTemplate(template, { name: "x" }, scope, evaluate)).toEqual({ msg: "formatted" });
    expect(calls).toEqual(["States.Format('hi {}', $.name)"]);
  });

  it("keeps values of keys without .$ literal, even when they look like paths", () => {
    expect(resolvePayloadTemplate({ nested: { plain: "$.a" } }, { a: 1 }, scope, noIntrinsics)).toEqual({ nested: { plain: "$.a" } });
  });

  it("returns literal subtrees as they are and does not touch the template", () => {
    const shared = { deep: [1, 2, { three: 3 }] };
    const template = { "a.$": "$.a", shared };
    const output = resolvePayloadTemplate(template, { a: 1 }, scope, noIntrinsics) as { shared: unknown };
    expect(output.shared).toBe(shared);
    expect(template).toEqual({ "a.$": "$.a", shared: { deep: [1, 2, { three: 3 }] } });
  });

  it("returns a non-object template as it is", () => {
    expect(resolvePayloadTemplate("text", {}, scope, noIntrinsics)).toBe("text");
    expect(resolvePayloadTemplate(null, {}, scope, noIntrinsics)).toBeNull();
  });

  it("resolves the same template against different inputs", () => {
    const template = { "v.$": "$.v" };
    expect(resolvePayloadTemplate(template, { v: 1 }, scope, noIntrinsics)).toEqual({ v: 1 });
    expect(resolvePayloadTemplate(template, { v: 2 }, scope, noIntrinsics)).toEqual({ v: 2 });
  });

  it("yields the array of matches for an indefinite path, empty included", () => {
    expect(resolvePayloadTemplate({ "ids.$": "$.items[*].id" }, { items: [{ id: 1 }, { id: 2 }] }, scope, noIntrinsics)).toEqual({
      ids: [1, 2],
    });
    expect(resolvePayloadTemplate({ "ids.$": "$.items[?(@.id > 5)]" }, { items: [{ id: 1 }] }, scope, noIntrinsics)).toEqual({ ids: [] });
  });

  it("fails with AWS's cause when a path finds nothing", () => {
    try {
      resolvePayloadTemplate({ "address.$": "$.application.address" }, { flagged: false }, scope, noIntrinsics);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(StatesError);
      expect((error as StatesError).error).toBe("States.Runtime");
      expect((error as StatesError).causeText).toBe(
        "The JSONPath '$.application.address' specified for the field 'address.$' could not be found in the input '{\"flagged\":false}'",
      );
    }
  });

  it("names the context object as the input searched by a $$ path", () => {
    expect(() => resolvePayloadTemplate({ "x.$": "$$.Nope" }, {}, scope, noIntrinsics)).toThrow(
      'could not be found in the input \'{"Execution":{"Name":"run-1"}}\'',
    );
  });

  it("fails on a .$ value that is neither a path nor an intrinsic call", () => {
    expect(() => resolvePayloadTemplate({ "x.$": 5 }, {}, scope, noIntrinsics)).toThrow(StatesError);
    expect(() => resolvePayloadTemplate({ "x.$": "plain" }, {}, scope, noIntrinsics)).toThrow(StatesError);
  });
});
