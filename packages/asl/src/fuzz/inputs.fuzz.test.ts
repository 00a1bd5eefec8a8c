/**
 * Hostile inputs through representative definitions: deep nesting, huge arrays, payloads around the
 * 256 KiB quota, odd unicode and prototype-pollution keys. A run must end in a status (never a crash),
 * name its error, and leave Object.prototype alone.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import type { StateMachineDefinition } from "../definition.ts";
import type { Json } from "../json.ts";
import { type RunResult, runExecution } from "../runner/run-execution.ts";

const SEED = 20_261_125;
const AWS_MAX_PAYLOAD_BYTES = 262_144;
const LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:echo";

const DEFINITIONS: Record<string, StateMachineDefinition> = {
  parametersAndIntrinsics: {
    StartAt: "P",
    States: {
      P: {
        Type: "Pass",
        Parameters: {
          "whole.$": "$",
          "text.$": "States.JsonToString($)",
          "formatted.$": "States.Format('in: {}', $.s)",
          "hash.$": "States.Hash(States.JsonToString($), 'SHA-256')",
          "encoded.$": "States.Base64Encode(States.JsonToString($))",
          "ctx.$": "$$.Execution.Input",
        },
        ResultPath: "$.result",
        Next: "Q",
      },
      Q: { Type: "Pass", InputPath: "$.result", OutputPath: "$.whole", End: true },
    },
  },
  map: {
    StartAt: "M",
    States: {
      M: {
        Type: "Map",
        ItemsPath: "$.items",
        MaxConcurrency: 0,
        ItemSelector: { "value.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index" },
        ItemProcessor: { StartAt: "I", States: { I: { Type: "Pass", End: true } } },
        ResultPath: "$.mapped",
        End: true,
      },
    },
  },
  choice: {
    StartAt: "C",
    States: {
      C: {
        Type: "Choice",
        Choices: [
          { Variable: "$.s", IsString: true, Next: "S" },
          {
            And: [
              { Variable: "$.n", IsPresent: true },
              { Variable: "$.n", NumericGreaterThan: 0 },
            ],
            Next: "S",
          },
        ],
        Default: "D",
      },
      S: { Type: "Succeed" },
      D: { Type: "Pass", End: true },
    },
  },
  task: {
    StartAt: "T",
    States: {
      T: {
        Type: "Task",
        Resource: LAMBDA,
        Parameters: { "payload.$": "$" },
        ResultSelector: { "echoed.$": "$.payload" },
        ResultPath: "$.task",
        Catch: [{ ErrorEquals: ["States.ALL"], Next: "Caught" }],
        End: true,
      },
      Caught: { Type: "Pass", End: true },
    },
  },
  jsonata: {
    QueryLanguage: "JSONata",
    StartAt: "J",
    States: {
      J: {
        Type: "Pass",
        Assign: { seen: "{% $states.input %}" },
        Output: {
          whole: "{% $states.input %}",
          text: "{% $string($states.input) %}",
          keys: "{% $keys($states.input) %}",
          count: "{% $count($states.input.items) %}",
        },
        Next: "K",
      },
      K: { Type: "Pass", Output: "{% $seen %}", End: true },
    },
  },
};

const STATUSES = ["SUCCEEDED", "FAILED", "ABORTED", "TIMED_OUT"];

async function runAll(input: Json): Promise<Record<string, RunResult>> {
  const results: Record<string, RunResult> = {};
  for (const [name, definition] of Object.entries(DEFINITIONS)) {
    results[name] = await runExecution(definition, { input, handlers: { [LAMBDA]: (value) => value }, maxHistoryEvents: 500 });
  }
  return results;
}

function expectClean(results: Record<string, RunResult>): void {
  for (const [name, result] of Object.entries(results)) {
    expect(STATUSES, name).toContain(result.status);
    if (result.status === "FAILED") {
      expect(typeof result.error, `${name}: ${result.cause}`).toBe("string");
      expect(result.error?.length, name).toBeGreaterThan(0);
    }
  }
}

const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();

function expectPrototypeUntouched(): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_KEYS);
  expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  expect(typeof Object.prototype.toString).toBe("function");
}

function nested(depth: number, leaf: Json, as: "array" | "object"): Json {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = as === "array" ? [value] : { a: value };
  return value;
}

afterEach(expectPrototypeUntouched);

describe("hostile inputs", () => {
  // Node's JSON.stringify overflows its stack between 4,000 and 5,000 levels, so no execution can even
  // record deeper input; the runtime refuses 10,000 levels at StartExecution (see apps/api fuzz.test.ts).
  it("4,000 levels of nesting end in a status, never a crash", async () => {
    for (const as of ["array", "object"] as const) {
      expectClean(await runAll({ deep: nested(4_000, "leaf", as), items: [nested(4_000, 1, as)], s: "x" }));
    }
  });

  it("100,000 items run through Map and JSONata", async () => {
    // 100,000 zeros fit in the payload quota; a doubled copy of them does not.
    const items: Json[] = new Array(100_000).fill(0);
    const results = await runAll({ items, s: "x" });
    expectClean(results);
    expect(results.choice?.status).toBe("SUCCEEDED");
    // runAll caps the history at 500 events, far fewer than 100,000 iterations need.
    expect(results.map?.error).toBe("States.Runtime");
    expect(results.map?.cause).toContain("maximum number of history events");
    expect(results.jsonata?.error).toBe("States.DataLimitExceeded");
    const counted = await runExecution(
      { QueryLanguage: "JSONata", StartAt: "J", States: { J: { Type: "Pass", Output: "{% $count($states.input.items) %}", End: true } } },
      { input: { items } },
    );
    expect(counted.output).toBe(100_000);
  });

  it("input at the payload quota is accepted and one byte over fails with States.DataLimitExceeded", async () => {
    const overhead = JSON.stringify({ s: "" }).length;
    const atLimit = { s: "x".repeat(AWS_MAX_PAYLOAD_BYTES - overhead) };
    const overLimit = { s: "x".repeat(AWS_MAX_PAYLOAD_BYTES - overhead + 1) };
    const pass: StateMachineDefinition = { StartAt: "P", States: { P: { Type: "Pass", End: true } } };
    const at = await runExecution(pass, { input: atLimit });
    expect(at.status).toBe("SUCCEEDED");
    const over = await runExecution(pass, { input: overLimit });
    expect(over.status).toBe("FAILED");
    expect(over.error).toBe("States.DataLimitExceeded");
    // Multi-byte characters count in UTF-8 bytes: 87,382 × 3 bytes + quotes is just over the quota.
    const wide = await runExecution(pass, { input: "€".repeat(87_382) });
    expect(wide.error).toBe("States.DataLimitExceeded");
  });

  it("a state whose output grows past the quota fails with States.DataLimitExceeded", async () => {
    const results = await runAll({ s: "y".repeat(AWS_MAX_PAYLOAD_BYTES / 2) });
    expectClean(results);
    expect(results.task?.error).toBe("States.DataLimitExceeded");
    expect(results.jsonata?.error).toBe("States.DataLimitExceeded");
  });

  it("astral characters, lone surrogates and NUL go through every definition", async () => {
    const weird = fc.string({ unit: fc.constantFrom("😀", "\uD800", "\uDFFF", "\u0000", "\u2028", "é", "a", "\\", '"', "{}") });
    await fc.assert(
      fc.asyncProperty(fc.dictionary(weird, weird, { maxKeys: 4 }), weird, async (object, s) => {
        const results = await runAll({ ...object, s, items: [s] });
        expectClean(results);
        expect(results.choice?.status).toBe("SUCCEEDED");
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  it("random JSON inputs end cleanly in every definition", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (input) => {
        expectClean(await runAll(input as Json));
      }),
      { seed: SEED, numRuns: 100 },
    );
  });
});

describe("prototype-pollution keys", () => {
  const hostile = [
    '{"__proto__": {"polluted": "yes"}, "s": "x", "items": [{"__proto__": {"polluted": "yes"}}]}',
    '{"constructor": {"prototype": {"polluted": "yes"}}, "s": "x", "items": []}',
    '{"prototype": {"polluted": "yes"}, "__proto__": null, "s": "x", "items": [1]}',
  ];

  it("in the input, they stay data and pollute nothing", async () => {
    for (const text of hostile) {
      const input = JSON.parse(text) as Json;
      const results = await runAll(input);
      expectClean(results);
      expectPrototypeUntouched();
      expect(results.choice?.status).toBe("SUCCEEDED");
      // Pass keeps the input as it is, own "__proto__" key included.
      const echoed = results.parametersAndIntrinsics;
      expect(echoed?.status).toBe("SUCCEEDED");
      expect(JSON.stringify(echoed?.output)).toBe(JSON.stringify(input));
    }
  });

  it("in Parameters, ItemSelector and Output templates, they stay data and pollute nothing", async () => {
    const templates = hostile.map((t) => JSON.parse(t.replace('"polluted": "yes"', '"polluted.$": "$.s"')) as Record<string, Json>);
    for (const template of templates) {
      const jsonPath: StateMachineDefinition = {
        StartAt: "P",
        States: {
          P: { Type: "Pass", Parameters: template, Next: "M" },
          M: {
            Type: "Map",
            ItemsPath: "$.items",
            ItemSelector: template,
            ItemProcessor: { StartAt: "I", States: { I: { Type: "Pass", End: true } } },
            ResultPath: "$.mapped",
            End: true,
          },
        },
      };
      const jsonata: StateMachineDefinition = {
        QueryLanguage: "JSONata",
        StartAt: "J",
        States: {
          J: {
            Type: "Pass",
            Output: JSON.parse(JSON.stringify(template).replaceAll('"polluted.$":"$.s"', '"polluted":"{% $states.input.s %}"')),
            End: true,
          },
        },
      };
      const input = JSON.parse('{"s": "yes", "items": [1], "__proto__": {"polluted": "yes"}}') as Json;
      for (const definition of [jsonPath, jsonata]) {
        const result = await runExecution(definition, { input });
        expect(STATUSES).toContain(result.status);
        if (result.status === "FAILED") expect(result.error).toBeTruthy();
        expectPrototypeUntouched();
      }
    }
  });

  it("as Assign variable names and JSONata object keys, they pollute nothing", async () => {
    const definition: StateMachineDefinition = {
      QueryLanguage: "JSONata",
      StartAt: "J",
      States: {
        J: {
          Type: "Pass",
          Assign: { constructor: "{% 'c' %}", prototype: "{% 'p' %}" },
          Output: "{% $merge([{}, {'__proto__': {'polluted': 'yes'}}, $states.input]) %}",
          End: true,
        },
      },
    };
    const result = await runExecution(definition, { input: JSON.parse('{"__proto__": {"polluted": "yes"}}') as Json });
    expect(STATUSES).toContain(result.status);
    if (result.status === "FAILED") expect(result.error).toBeTruthy();
  });
});
