/**
 * The intrinsic_functions conformance cases (what real AWS produced) that are a single Pass state whose
 * Parameters are all intrinsic calls: evaluating each call must give AWS's output. Cases that need more
 * (JSONata, ResultPath/OutputPath, random results) are left to the interpreter's conformance run.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isJsonObject, type Json, type JsonObject, jsonEquals } from "../json.ts";
import { readTestPath, testScope } from "./intrinsic-test-support.ts";
import { evaluateIntrinsic, type IntrinsicCall, isIntrinsicCall, parseIntrinsic } from "./intrinsics.ts";

interface Case {
  id: string;
  category: string;
  definition: JsonObject;
  input: Json;
  expected: { status: string; output?: Json };
}

const CASES_FILE = new URL("../../../../../shared/conformance/cases.jsonl", import.meta.url);
const PASS_FIELDS = new Set(["Type", "Parameters", "End", "Comment"]);
const RANDOM_FUNCTIONS = new Set(["States.MathRandom", "States.UUID"]);

const cases: Case[] = readFileSync(CASES_FILE, "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => JSON.parse(line) as Case)
  .filter((c) => c.category === "intrinsic_functions");

function usesRandomness(call: IntrinsicCall): boolean {
  return RANDOM_FUNCTIONS.has(call.name) || call.args.some((arg) => arg.kind === "call" && usesRandomness(arg));
}

/** The Parameters of a lone JSONPath Pass state made only of intrinsic calls, or null. */
function intrinsicParameters(c: Case): Record<string, string> | null {
  const states = c.definition.States;
  if (c.definition.QueryLanguage === "JSONata" || !isJsonObject(states)) return null;
  const [state, ...others] = Object.values(states);
  if (others.length > 0 || !isJsonObject(state) || state.Type !== "Pass") return null;
  if (!Object.keys(state).every((field) => PASS_FIELDS.has(field)) || !isJsonObject(state.Parameters)) return null;
  const entries = Object.entries(state.Parameters);
  const allCalls = entries.every(
    ([key, value]) => key.endsWith(".$") && typeof value === "string" && isIntrinsicCall(value) && !usesRandomness(parseIntrinsic(value)),
  );
  return allCalls && c.expected.status === "SUCCEEDED" ? (Object.fromEntries(entries) as Record<string, string>) : null;
}

const selected = cases.flatMap((c) => {
  const parameters = intrinsicParameters(c);
  return parameters === null ? [] : [{ c, parameters }];
});

describe("intrinsic_functions conformance cases", () => {
  it("selects the single-Pass intrinsic cases", () => {
    expect(cases.length).toBeGreaterThan(0);
    expect(selected.length).toBeGreaterThanOrEqual(80);
  });

  it.each(selected.map(({ c, parameters }) => [c.id, c, parameters] as const))("%s", (_id, c, parameters) => {
    const scope = testScope({ input: c.input });
    const resolved = Object.fromEntries(
      Object.entries(parameters).map(([key, expr]) => [key.slice(0, -2), evaluateIntrinsic(expr, c.input, scope, readTestPath)]),
    );
    expect(jsonEquals(resolved, c.expected.output as Json), JSON.stringify(resolved)).toBe(true);
  });
});
