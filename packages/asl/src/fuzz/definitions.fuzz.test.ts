/**
 * Property-based fuzzing of the pure core: whatever a definition looks like, validation answers with
 * diagnostics and never throws; whatever a valid definition and its input are, a run ends in a status.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Json } from "../json.ts";
import type { Mocks } from "../runner/mocks.ts";
import { runExecution } from "../runner/run-execution.ts";
import { validateDefinition } from "../validate/index.ts";

const SEED = 20_261_125;
const STATUSES = ["SUCCEEDED", "FAILED", "ABORTED", "TIMED_OUT"];
const NAMES = ["A", "B", "C", "Loop", "End", "Missing"];

const expression = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      "$",
      "$.a",
      "$.a.b[0]",
      "$.items[*]",
      "$..x",
      "$[",
      "$.a[?(@.b > 1)]",
      "$$.Execution.Input",
      "$$.Map.Item.Value",
      "$.",
      "$$",
      "$var",
      "$missing.x",
      "States.Format('{} {}', $.a, $.b)",
      "States.Array($.a, 1, 'x')",
      "States.StringToJson($.s)",
      "States.JsonToString($)",
      "States.MathAdd($.n, 1)",
      "States.MathRandom(1, 2)",
      "States.ArrayRange(0, 10, 1)",
      "States.ArrayRange(0, 100000000, 1)",
      "States.Hash($.s, 'SHA-1')",
      "States.UUID()",
      "States.Base64Decode('!!')",
      "States.Format('{}'",
      "States.Nope()",
      "States.ArrayGetItem($.a, -1)",
      "{% $ %}",
      "{% $states.input %}",
      "{% $states.input.a + 1 %}",
      "{% $sum($states.input.items) %}",
      "{% $states.context.Execution.Name %}",
      "{% [1,2,3] %}",
      "{% $x := %}",
      "{% ( %}",
      "{% $random() %}",
      "{% $partition([1,2,3], 2) %}",
      "{% $range(0, 1000000000) %}",
      "{% undefinedThing %}",
      "{%%}",
    ),
  },
  fc.string({ maxLength: 20 }).map((s) => `$.${s}`),
  fc.string({ maxLength: 20 }).map((s) => `{% ${s} %}`),
  fc.string({ maxLength: 20 }).map((s) => `States.${s}`),
);

const scalar: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -5, max: 5 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 10 }),
  expression,
);

/** A payload template: keys ending in `.$` (or not) holding expressions or plain values. */
const template: fc.Arbitrary<Json> = fc.letrec<{ t: Json }>((tie) => ({
  t: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar,
    fc.dictionary(
      fc.oneof(fc.constantFrom("a", "b", "x.$", "items.$", "__proto__", "constructor", "v.$"), fc.string({ maxLength: 6 })),
      tie("t"),
      { maxKeys: 4 },
    ),
    fc.array(tie("t"), { maxLength: 3 }),
  ),
})).t;

const errorNames = fc.array(fc.constantFrom("States.ALL", "States.TaskFailed", "States.Timeout", "Custom.Error", "States.Runtime", ""), {
  minLength: 0,
  maxLength: 2,
});

const retrier = fc.record(
  {
    ErrorEquals: errorNames,
    IntervalSeconds: fc.integer({ min: -1, max: 3 }),
    MaxAttempts: fc.integer({ min: -1, max: 3 }),
    BackoffRate: fc.double({ min: 0, max: 3, noNaN: true }),
    MaxDelaySeconds: fc.integer({ min: 0, max: 5 }),
    JitterStrategy: fc.constantFrom("FULL", "NONE", "BOGUS"),
  },
  { requiredKeys: ["ErrorEquals"] },
);
const catcher = fc.record(
  { ErrorEquals: errorNames, Next: fc.constantFrom(...NAMES), ResultPath: fc.oneof(expression, fc.constant(null)) },
  { requiredKeys: ["ErrorEquals", "Next"] },
);

const choiceRule: fc.Arbitrary<Json> = fc.letrec<{ r: Json }>((tie) => ({
  r: fc.oneof(
    { depthSize: "small" },
    fc.record(
      {
        Variable: expression,
        StringEquals: fc.string({ maxLength: 4 }),
        NumericGreaterThan: fc.integer(),
        NumericLessThanPath: expression,
        IsPresent: fc.boolean(),
        BooleanEquals: fc.boolean(),
        StringMatches: fc.constantFrom("*", "a*b", "\\*", "**"),
        TimestampEquals: fc.constantFrom("2026-01-01T00:00:00Z", "nope"),
        Condition: expression,
        Next: fc.constantFrom(...NAMES),
      },
      { requiredKeys: [] },
    ),
    fc.record({ And: fc.array(tie("r"), { maxLength: 3 }), Next: fc.constantFrom(...NAMES) }, { requiredKeys: ["And"] }),
    fc.record({ Or: fc.array(tie("r"), { maxLength: 3 }), Next: fc.constantFrom(...NAMES) }, { requiredKeys: ["Or"] }),
    fc.record({ Not: tie("r"), Next: fc.constantFrom(...NAMES) }, { requiredKeys: ["Not"] }),
  ),
})).r;

const next = fc.constantFrom(...NAMES);
const path = fc.oneof(expression, fc.constant(null));
const resource = fc.constantFrom(
  "arn:aws:lambda:us-east-1:123456789012:function:f",
  "arn:aws:states:::lambda:invoke",
  "arn:aws:states:::aws-sdk:s3:getObject",
  "not-an-arn",
);

type Fields = Record<string, fc.Arbitrary<unknown>>;

/** Fields by query language and state type, so that a fair share of machines are valid and reach the runner. */
const JSONPATH_FIELDS: Record<string, Fields> = {
  Pass: { InputPath: path, OutputPath: path, ResultPath: path, Parameters: template, Result: template, Assign: template },
  Task: {
    Resource: resource,
    InputPath: path,
    ResultPath: path,
    Parameters: template,
    ResultSelector: template,
    Retry: fc.array(retrier, { maxLength: 2 }),
    Catch: fc.array(catcher, { maxLength: 2 }),
    TimeoutSeconds: fc.integer({ min: 0, max: 5 }),
  },
  Wait: { Seconds: fc.integer({ min: -1, max: 5 }), Timestamp: fc.constantFrom("2026-11-25T13:00:00Z", "2030-01-01T00:00:00Z", "garbage") },
  Fail: { Error: fc.string({ maxLength: 8 }), Cause: fc.string({ maxLength: 8 }), ErrorPath: expression, CausePath: expression },
  Succeed: { InputPath: path, OutputPath: path },
  Choice: { Choices: fc.array(choiceRule, { minLength: 1, maxLength: 2 }), Default: next, InputPath: path },
  Parallel: {
    ResultPath: path,
    ResultSelector: template,
    Retry: fc.array(retrier, { maxLength: 1 }),
    Catch: fc.array(catcher, { maxLength: 1 }),
  },
  Map: {
    ItemsPath: expression,
    ItemSelector: template,
    MaxConcurrency: fc.integer({ min: -1, max: 3 }),
    ToleratedFailureCount: fc.integer({ min: -1, max: 3 }),
    ResultPath: path,
  },
};
const JSONATA_FIELDS: Record<string, Fields> = {
  Pass: { Output: template, Assign: template },
  Task: {
    Resource: resource,
    Arguments: template,
    Output: template,
    Retry: fc.array(retrier, { maxLength: 1 }),
    Catch: fc.array(catcher, { maxLength: 1 }),
  },
  Wait: { Seconds: fc.oneof(fc.integer({ min: 0, max: 3 }), expression) },
  Fail: { Error: fc.oneof(fc.string({ maxLength: 8 }), expression), Cause: fc.oneof(fc.string({ maxLength: 8 }), expression) },
  Succeed: { Output: template },
  Choice: {
    Choices: fc.array(fc.record({ Condition: expression, Next: next }), { minLength: 1, maxLength: 2 }),
    Default: next,
    Output: template,
  },
  Parallel: { Output: template, Arguments: template },
  Map: { Items: fc.oneof(expression, template), ItemSelector: template, MaxConcurrency: fc.integer({ min: 0, max: 3 }), Output: template },
};

const STATE_TYPES = Object.keys(JSONPATH_FIELDS);

/** Rare garbage: an unknown field, an unknown type, a wrong language. */
const garbage = fc.record(
  {
    Bogus: fc.string({ maxLength: 4 }),
    QueryLanguage: fc.constantFrom("JSONPath", "JSONata", "XPath"),
    Comment: fc.string({ maxLength: 6 }),
    Type: fc.constantFrom("Nope", "Pass"),
  },
  { requiredKeys: [] },
);

/** `arbitrary` about once in `odds` draws, otherwise undefined. */
function rarely<T>(arbitrary: fc.Arbitrary<T>, odds: number): fc.Arbitrary<T | undefined> {
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: odds - 1 }, { arbitrary, weight: 1 });
}

interface StateSpec {
  type: string;
  fields: Record<string, unknown>;
  nested: Record<string, unknown>[];
  jump: string | undefined;
  junk: Record<string, unknown> | undefined;
}

function stateSpec(language: "JSONPath" | "JSONata", blocks: fc.Arbitrary<Record<string, unknown>[]>): fc.Arbitrary<StateSpec> {
  const table = language === "JSONata" ? JSONATA_FIELDS : JSONPATH_FIELDS;
  return fc.constantFrom(...STATE_TYPES).chain((type) =>
    fc.record({
      type: fc.constant(type),
      fields: fc.record(table[type] ?? {}, { requiredKeys: [] }),
      nested: blocks,
      jump: rarely(next, 6),
      junk: rarely(garbage, 30),
    }),
  );
}

/** A chain of states, each to the next unless it jumps elsewhere (loops, dangling targets); the last ends. */
function block(language: "JSONPath" | "JSONata", blocks: fc.Arbitrary<Record<string, unknown>[]>): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(
      fc.uniqueArray(fc.constantFrom(...NAMES.filter((n) => n !== "Missing")), { minLength: 1, maxLength: 4 }),
      fc.array(stateSpec(language, blocks), { minLength: 4, maxLength: 4 }),
    )
    .map(([names, specs]) => {
      const states: Record<string, unknown> = {};
      names.forEach((name, i) => {
        const spec = specs[i] as StateSpec;
        const following = spec.jump ?? names[i + 1];
        const state: Record<string, unknown> = { Type: spec.type, ...spec.fields };
        if (spec.type === "Choice" && state.Default === undefined && following) state.Default = following;
        else if (spec.type !== "Choice" && spec.type !== "Succeed" && spec.type !== "Fail") {
          if (following) state.Next = following;
          else state.End = true;
        }
        if (spec.type === "Parallel") state.Branches = spec.nested;
        if (spec.type === "Map") state.ItemProcessor = spec.nested[0];
        states[name] = { ...state, ...spec.junk };
      });
      return { ...(language === "JSONata" ? { QueryLanguage: "JSONata" } : {}), StartAt: names[0], States: states };
    });
}

const leafBlocks: fc.Arbitrary<Record<string, unknown>[]> = fc.constant([{ StartAt: "A", States: { A: { Type: "Succeed" } } }]);

/** Blocks for Parallel and Map, nested `depth` levels deep at most. */
function blocksOf(language: "JSONPath" | "JSONata", depth: number): fc.Arbitrary<Record<string, unknown>[]> {
  if (depth === 0) return leafBlocks;
  return fc.oneof(
    { arbitrary: leafBlocks, weight: 2 },
    { arbitrary: fc.array(block(language, blocksOf(language, depth - 1)), { minLength: 1, maxLength: 2 }), weight: 1 },
  );
}

const definitionArb: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  block("JSONPath", blocksOf("JSONPath", 3)),
  block("JSONata", blocksOf("JSONata", 3)),
);

/** Task results by state name: successive Returns and Throws, as in conformance cases. */
const mocksArb: fc.Arbitrary<Mocks> = fc.dictionary(
  fc.constantFrom(...NAMES),
  fc.array(
    fc.oneof(
      fc.jsonValue({ maxDepth: 2 }).map((v) => ({ Return: v as Json })),
      fc
        .record({ Error: fc.constantFrom("States.TaskFailed", "Custom.Error", "States.Timeout", "x"), Cause: fc.string({ maxLength: 8 }) })
        .map((t) => ({ Throw: t })),
    ),
    { minLength: 1, maxLength: 3 },
  ),
  { maxKeys: 6 },
);

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function expectCleanResult(result: Awaited<ReturnType<typeof runExecution>>): void {
  expect(STATUSES).toContain(result.status);
  if (result.status === "SUCCEEDED") {
    expect(result.output).not.toBeUndefined();
  } else if (result.status === "FAILED" && !result.error) {
    // Only a Fail state names no error (or an empty one, taken verbatim from the definition or its input).
    expect(result.events.some((e) => e.type === "FailStateEntered")).toBe(true);
  } else if (result.status === "FAILED") {
    expect(typeof result.error).toBe("string");
    expect(result.error?.length).toBeGreaterThan(0);
  }
  expect(result.events.length).toBeGreaterThan(0);
}

describe("fuzzed definitions", () => {
  it("validateDefinition never throws on arbitrary JSON values or JSON text", () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.string(), fc.json(), fc.anything()), (value) => {
        const result = validateDefinition(value);
        expect(typeof result.ok).toBe("boolean");
        expect(Array.isArray(result.diagnostics)).toBe(true);
        if (!result.ok) expect(result.diagnostics.length).toBeGreaterThan(0);
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it("validateDefinition never throws on machine-shaped definitions, as objects or as text", () => {
    fc.assert(
      fc.property(definitionArb, fc.boolean(), (definition, asText) => {
        const result = validateDefinition(asText ? JSON.stringify(definition) : definition);
        expect(typeof result.ok).toBe("boolean");
        for (const d of result.diagnostics) expect(typeof d.code).toBe("string");
        if (result.ok) expect(result.definition).toBeDefined();
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it("a valid fuzzed definition runs to a clean result with any input and mocks", async () => {
    let valid = 0;
    await fc.assert(
      fc.asyncProperty(definitionArb, fc.jsonValue({ maxDepth: 3 }), mocksArb, async (definition, input, mocks) => {
        const validated = validateDefinition(definition);
        if (!validated.ok || !validated.definition) return;
        valid++;
        const result = await withTimeout(
          runExecution(validated.definition, { input: input as Json, mocks, maxHistoryEvents: 200 }),
          2_000,
          JSON.stringify(definition),
        );
        expectCleanResult(result);
      }),
      { seed: SEED, numRuns: 1000 },
    );
    // The generator must reach the runner often enough for the property to mean something.
    expect(valid).toBeGreaterThan(50);
  });

  it("simple valid machines with fuzzed expressions run to a clean result", async () => {
    const passWith = fc.record(
      {
        Parameters: template,
        ResultPath: fc.oneof(expression, fc.constant(null)),
        InputPath: fc.oneof(expression, fc.constant(null)),
        OutputPath: fc.oneof(expression, fc.constant(null)),
        Assign: template,
      },
      { requiredKeys: [] },
    );
    const jsonataPass = fc.record({ Output: template, Assign: template }, { requiredKeys: [] });
    const machine = fc.oneof(
      passWith.map((f) => ({ StartAt: "A", States: { A: { Type: "Pass", ...f, Next: "B" }, B: { Type: "Succeed" } } })),
      jsonataPass.map((f) => ({ QueryLanguage: "JSONata", StartAt: "A", States: { A: { Type: "Pass", ...f, End: true } } })),
      fc.tuple(expression, template).map(([items, selector]) => ({
        StartAt: "M",
        States: {
          M: {
            Type: "Map",
            ItemsPath: items,
            ItemSelector: selector,
            ItemProcessor: { StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", End: true } } },
            End: true,
          },
        },
      })),
      fc.tuple(expression, expression).map(([variable, next]) => ({
        StartAt: "C",
        States: {
          C: { Type: "Choice", Choices: [{ Variable: variable, StringEquals: next, Next: "A" }], Default: "F" },
          A: { Type: "Pass", Parameters: { "x.$": variable }, End: true },
          F: { Type: "Fail", ErrorPath: variable, CausePath: next },
        },
      })),
    );
    let valid = 0;
    await fc.assert(
      fc.asyncProperty(machine, fc.jsonValue({ maxDepth: 3 }), mocksArb, async (definition, input, mocks) => {
        const validated = validateDefinition(definition);
        if (!validated.ok || !validated.definition) return;
        valid++;
        const result = await withTimeout(
          runExecution(validated.definition, { input: input as Json, mocks: { T: [{ Return: 1 }], ...mocks }, maxHistoryEvents: 200 }),
          2_000,
          JSON.stringify(definition),
        );
        expectCleanResult(result);
      }),
      { seed: SEED, numRuns: 500 },
    );
    expect(valid).toBeGreaterThan(50);
  });
});
