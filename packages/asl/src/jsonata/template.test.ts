import { describe, expect, it } from "vitest";
import type { Json } from "../json.ts";
import { evaluateAssign, evaluateJsonataTemplate } from "./template.ts";
import { bindings, failureOf, sequence } from "./test-support.ts";

const states = { input: { title: "Doctor", items: [{ sku: "a", qty: 2 }] }, context: {} };

describe("evaluateJsonataTemplate", () => {
  it("evaluates {% %} strings at any depth and keeps everything else literal", async () => {
    const template: Json = {
      static: "Hello",
      title: "{% $states.input.title %}",
      name: "{% $customerName %}",
      "not-evaluated": "$customerName",
      path: "$.title",
      intrinsic: "States.Format('{}', $.title)",
      padded: " {% $states.input.title %}",
      nested: { list: [1, "{% $states.input.items[0].qty * 10 %}", { deep: "{% $count($states.input.items) %}" }], none: null },
    };
    const result = await evaluateJsonataTemplate(template, bindings({ states, variables: { customerName: "María" } }), "Arguments");
    expect(result).toEqual({
      static: "Hello",
      title: "Doctor",
      name: "María",
      "not-evaluated": "$customerName",
      path: "$.title",
      intrinsic: "States.Format('{}', $.title)",
      padded: " {% $states.input.title %}",
      nested: { list: [1, 20, { deep: 1 }], none: null },
    });
  });

  it("evaluates a field that is an expression or a literal as a whole", async () => {
    const b = bindings({ states });
    expect(await evaluateJsonataTemplate("{% $states.input.items %}", b, "Items")).toEqual([{ sku: "a", qty: 2 }]);
    expect(await evaluateJsonataTemplate("{% $states.input.title = 'Doctor' %}", b, "Condition")).toBe(true);
    expect(await evaluateJsonataTemplate(30, b, "TimeoutSeconds")).toBe(30);
    expect(await evaluateJsonataTemplate("States.TaskFailed", b, "Error")).toBe("States.TaskFailed");
  });

  it("builds fresh containers and leaves the template alone", async () => {
    const template = { a: { b: [1, "{% 2 %}"] }, c: [{ d: 1 }] };
    const snapshot = structuredClone(template);
    const result = (await evaluateJsonataTemplate(template, bindings(), "Output")) as typeof template;
    expect(result).toEqual({ a: { b: [1, 2] }, c: [{ d: 1 }] });
    expect(result.c[0]).not.toBe(template.c[0]);
    expect(template).toEqual(snapshot);
  });

  it("names the failing expression's place: /key per member, [i] per item", async () => {
    const template = { a: { b: [1, { c: "{% $nothing %}" }] } };
    const failure = await failureOf(evaluateJsonataTemplate(template, bindings(), "Output"));
    expect(failure.causeText).toBe(
      "The JSONata expression '$nothing' specified for the field 'Output/a/b[1]/c' returned nothing (undefined).",
    );
  });

  it("evaluates in document order, so randomness is drawn reproducibly", async () => {
    const template = { first: "{% $random() %}", rest: ["{% $random() %}", { last: "{% $random() %}" }] };
    const result = await evaluateJsonataTemplate(template, bindings({ random: sequence(0.1, 0.2, 0.3) }), "Output");
    expect(result).toEqual({ first: 0.1, rest: [0.2, { last: 0.3 }] });
  });

  it("keeps a key named __proto__ as data", async () => {
    const template = JSON.parse('{"__proto__": "{% 1 %}"}') as Json;
    const result = await evaluateJsonataTemplate(template, bindings(), "Output");
    expect(Object.entries(result as object)).toEqual([["__proto__", 1]]);
  });
});

describe("evaluateAssign", () => {
  it("evaluates every value against the variables as they were before the block", async () => {
    const assigned = await evaluateAssign(
      { counter: "{% $counter + 1 %}", previous: "{% $counter %}", literal: { list: [true, "{% $counter * 10 %}"] } },
      bindings({ variables: { counter: 1 } }),
    );
    expect(assigned).toEqual({ counter: 2, previous: 1, literal: { list: [true, 10] } });
  });

  it("reads $states like any other field", async () => {
    const b = bindings({ states: { input: {}, context: {}, result: { id: 7 } } });
    expect(await evaluateAssign({ id: "{% $states.result.id %}" }, b)).toEqual({ id: 7 });
  });

  it("names failures Assign/<name>, under the prefix it is given", async () => {
    const failure = await failureOf(evaluateAssign({ ok: 1, result: "{% $doesNotExist %}" }, bindings()));
    expect(failure.error).toBe("States.QueryEvaluationError");
    expect(failure.causeText).toBe(
      "The JSONata expression '$doesNotExist' specified for the field 'Assign/result' returned nothing (undefined).",
    );
    const nested = await failureOf(evaluateAssign({ x: ["{% $nope %}"] }, bindings(), "Choices[0]/Assign"));
    expect(nested.causeText).toMatch(/ specified for the field 'Choices\[0\]\/Assign\/x\[0\]' /);
  });

  it("leaves the variables it read untouched", async () => {
    const variables = { list: [1, 2] };
    const assigned = (await evaluateAssign({ list: "{% $append($list, 3) %}", same: "{% $list %}" }, bindings({ variables }))) as Record<
      string,
      number[]
    >;
    assigned.same?.push(99);
    expect(variables).toEqual({ list: [1, 2] });
    expect(assigned.list).toEqual([1, 2, 3]);
  });
});
