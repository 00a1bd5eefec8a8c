/**
 * Any expression in any field, over any input of at most 256 KB, returns within a fixed budget with a
 * result or a named error: JSONPath paths (InputPath, Parameters), intrinsic functions, Choice rules and
 * JSONata. The generators lean towards what made a process freeze: deep nesting under `..` and `*`,
 * filters whose paths walk the whole document, nested quantifiers in regexes, recursive JSONata
 * functions and results that name the input many times.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { StateMachineDefinition } from "../definition.ts";
import type { Json } from "../json.ts";
import { runExecution } from "../runner/run-execution.ts";

const SEED = 20_261_207;
const BUDGET_MS = 1_000;
/**
 * The evaluation clock the runs are given: a quarter of the budget. An evaluation stopped by its clock still
 * has to unwind (a runaway recursion with concurrent branches takes up to a few hundred milliseconds more),
 * and this suite shares two cores with the rest of `npm test`.
 */
const EXPRESSION_TIMEOUT_MS = 250;
const MAX_INPUT_BYTES = 256 * 1024;
const STATUSES = ["SUCCEEDED", "FAILED"];

// ---- inputs: hostile shapes, each at most 256 KB --------------------------------------------------

function nestedArrays(depth: number, leaf: Json): Json {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

function nestedObjects(depth: number, leaf: Json): Json {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = { a: value, id: i };
  return value;
}

const longString = fc.integer({ min: 1, max: 200_000 }).map((n) => `${"a".repeat(n)}!`);

/** An input, printed by its recipe when a run fails (the values themselves are too large to read). */
interface Input {
  readonly value: Json;
}

function input(recipe: string, value: Json): Input {
  return { value, [fc.toStringMethod]: () => recipe } as Input;
}

const hostileInput: fc.Arbitrary<Input> = fc
  .oneof(
    fc.integer({ min: 1, max: 3_000 }).map((d) => input(`${d} nested arrays`, { deep: nestedArrays(d, 1), s: "aaaa!" })),
    fc
      .tuple(fc.integer({ min: 1, max: 1_500 }), longString)
      .map(([d, s]) => input(`${d} nested objects, ${s.length} characters`, { deep: nestedObjects(d, "a"), s })),
    fc
      .integer({ min: 0, max: 6_000 })
      .map((n) => input(`${n} items`, { items: Array.from({ length: n }, (_, i) => ({ id: i, a: [i, { a: "a" }] })), s: "a" })),
    fc
      .tuple(longString, fc.integer({ min: 0, max: 20 }))
      .map(([s, n]) => input(`${s.length} characters, ${n} strings`, { s, items: Array.from({ length: n }, () => s.slice(0, 2_000)) })),
    fc
      .jsonValue({ maxDepth: 6 })
      .map((value) => input(JSON.stringify(value).slice(0, 200), { value: value as Json, s: "a", deep: [[[1]]] })),
  )
  .filter((candidate) => JSON.stringify(candidate.value).length <= MAX_INPUT_BYTES);

// ---- JSONPath paths and intrinsic calls -----------------------------------------------------------

const segment = fc.constantFrom(
  "..*",
  "..a",
  "..id",
  ".*",
  "[*]",
  ".a",
  ".deep",
  ".items",
  ".s",
  "[0]",
  "[-1:]",
  "[0,1]",
  "..[0]",
  "[?(@.a)]",
  "[?(@.id > 3)]",
  "[?(@ =~ /(a+)+!?/)]",
  "[?(@.a =~ /(?:a|.{0,100})*b/i)]",
  "[?(@.id == $..id)]",
  "[?(@ == $)]",
  "..[?(@..*)]",
);

const path = fc.array(segment, { minLength: 1, maxLength: 5 }).map((segments) => `$${segments.join("")}`);

const intrinsic = fc.oneof(
  path.map((p) => `States.ArrayLength(${p})`),
  path.map((p) => `States.JsonToString(${p})`),
  path.map((p) => `States.ArrayUnique(${p})`),
  path.map((p) => `States.Hash(States.JsonToString(${p}), 'SHA-256')`),
  path.map((p) => `States.Format('{} and {}', ${p}, ${p})`),
  path.map((p) => `States.ArrayContains(${p}, $.s)`),
  path.map((p) => `States.ArrayPartition(${p}, 1)`),
  fc.constant("States.StringSplit($.s, $.s)"),
  fc.constant("States.Base64Encode(States.JsonToString($))"),
  fc.constant("States.StringToJson(States.JsonToString($))"),
);

// ---- regexes with nested quantifiers --------------------------------------------------------------

const regex: fc.Arbitrary<string> = fc
  .letrec<{ term: string }>((tie) => ({
    term: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.constantFrom("a", ".", "[a-z]", "\\w", "a?"),
      fc.tuple(tie("term"), fc.constantFrom("+", "*", "{1,50}", "?")).map(([t, q]) => `(?:${t})${q}`),
      fc.tuple(tie("term"), tie("term")).map(([a, b]) => `${a}${b}`),
      fc.tuple(tie("term"), tie("term")).map(([a, b]) => `(?:${a}|${b})`),
    ),
  }))
  .term.map((body) => `^${body}$`);

// ---- JSONata --------------------------------------------------------------------------------------

const jsonata = fc.oneof(
  regex.map((r) => `$contains($states.input.s, /${r}/)`),
  regex.map((r) => `$match($string($states.input), /${r}/)`),
  regex.map((r) => `$replace($states.input.s, /${r.slice(1, -1)}/, "b")`),
  fc.constant("($f := function($n){ $f($n+1) }; $f(0))"),
  fc.constant("($f := function($n){ 1 + $f($n+1) }; $f(0))"),
  fc.constant("($f := function($n){ [$n, $f($n+1), $f($n+2)] }; $f(0))"),
  fc.integer({ min: 1, max: 100_000 }).map((n) => `[1..${n}].($states.input)`),
  fc.constant("$states.input.**"),
  fc.constant("$string($states.input.**)"),
  fc.constant("$sort($states.input.**.id)"),
  fc.constant("$count($states.input.**[$contains($string($), /(a+)+b/)])"),
  fc.constant("$reduce([1..100000], function($a, $v){ $a & $states.input.s })"),
  fc.constant("$pad($states.input.s, 8000000, 'x')"),
);

// ---- fields ---------------------------------------------------------------------------------------

const definition: fc.Arbitrary<StateMachineDefinition> = fc.oneof(
  path.map((p) => pass({ InputPath: p })),
  path.map((p) => pass({ Parameters: { "x.$": p } })),
  fc
    .array(path, { minLength: 1, maxLength: 30 })
    .map((paths) => pass({ Parameters: Object.fromEntries(paths.map((p, i) => [`k${i}.$`, p])) })),
  intrinsic.map((call) => pass({ Parameters: { "x.$": call } })),
  fc
    .tuple(path, fc.string({ unit: fc.constantFrom("a", "*", "!", "b"), maxLength: 30 }))
    .map(([p, pattern]) => choice({ Variable: p, StringMatches: pattern })),
  path.map((p) => choice({ Variable: p, IsPresent: true })),
  fc.tuple(path, path).map(([left, right]) => choice({ Variable: left, StringEqualsPath: right })),
  jsonata.map(
    (body) =>
      ({
        QueryLanguage: "JSONata",
        StartAt: "J",
        States: { J: { Type: "Pass", Output: `{% ${body} %}`, End: true } },
      }) as StateMachineDefinition,
  ),
  jsonata.map(
    (body) =>
      ({
        QueryLanguage: "JSONata",
        StartAt: "C",
        States: {
          C: { Type: "Choice", Choices: [{ Condition: `{% ${body} = true %}`, Next: "S" }], Default: "S" },
          S: { Type: "Succeed" },
        },
      }) as StateMachineDefinition,
  ),
);

function pass(fields: Record<string, Json>): StateMachineDefinition {
  return { StartAt: "P", States: { P: { Type: "Pass", ...fields, End: true } } } as StateMachineDefinition;
}

function choice(rule: Record<string, Json>): StateMachineDefinition {
  return {
    StartAt: "C",
    States: { C: { Type: "Choice", Choices: [{ ...rule, Next: "S" }], Default: "S" }, S: { Type: "Succeed" } },
  } as StateMachineDefinition;
}

describe("expression budgets", () => {
  it("any expression in any field, over any input up to 256 KB, ends within 1 s with a result or a named error", {
    timeout: 28_000,
  }, async () => {
    let slowest = 0;
    await fc.assert(
      fc.asyncProperty(definition, hostileInput, async (machine, data) => {
        const started = performance.now();
        const result = await runExecution(machine, {
          input: data.value,
          maxHistoryEvents: 100,
          expressionTimeoutMs: EXPRESSION_TIMEOUT_MS,
        });
        const elapsed = performance.now() - started;
        slowest = Math.max(slowest, elapsed);
        expect(STATUSES).toContain(result.status);
        if (result.status === "FAILED") expect(result.error, result.cause ?? "").toMatch(/^States\.[A-Za-z]+$/);
        expect(elapsed, JSON.stringify(machine).slice(0, 300)).toBeLessThan(BUDGET_MS);
      }),
      { seed: SEED, numRuns: 60, endOnFailure: true },
    );
    expect(slowest).toBeLessThan(BUDGET_MS);
  });
});
