/**
 * The JSONata expressions of the recorded AWS cases, evaluated directly: every case whose machine is
 * JSONata and runs straight through Pass, Choice and Fail states is walked state by state with this
 * folder's functions alone, and must end the way AWS ended.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { StatesError } from "../errors.ts";
import { isJsonObject, type Json, type JsonObject, jsonEquals } from "../json.ts";
import type { JsonataBindings } from "./evaluate.ts";
import { evaluateAssign, evaluateJsonataTemplate } from "./template.ts";
import { NOW, noRandom } from "./test-support.ts";

const CASES_FILE = new URL("../../../../../shared/conformance/cases.jsonl", import.meta.url);

interface Case {
  id: string;
  definition: JsonObject;
  input: Json;
  expected: { status: string; output?: Json; error?: string | null; cause?: string | null };
}

type Outcome = { status: "SUCCEEDED"; output: Json } | { status: "FAILED"; error: string | null; cause: string | null };

const STRAIGHT_LINE_TYPES = new Set(["Pass", "Choice", "Fail"]);

function statesOf(definition: JsonObject): JsonObject[] {
  const states = definition.States;
  return isJsonObject(states) ? Object.values(states).filter(isJsonObject) : [];
}

function isSelected(testCase: Case): boolean {
  const { definition } = testCase;
  const states = statesOf(definition);
  const jsonata = states.every((s) => (s.QueryLanguage ?? definition.QueryLanguage) === "JSONata");
  const straight = states.every((s) => STRAIGHT_LINE_TYPES.has(String(s.Type)));
  return jsonata && straight && JSON.stringify(definition).includes("{%");
}

/** AWS prefixes the cause of a runtime error with the state and event; the core produces the rest. */
function causeBody(cause: string | null | undefined): string | null {
  if (cause === undefined || cause === null) return null;
  return cause.replace(/^An error occurred while executing the state '[^']*' \(entered at the event id #\d+\)\. /, "");
}

async function run(definition: JsonObject, input: Json): Promise<Outcome> {
  const states = definition.States as Record<string, JsonObject>;
  let variables: Record<string, Json> = {};
  let data = input;
  let name = String(definition.StartAt);
  for (let step = 0; step < 50; step += 1) {
    const state = states[name] as JsonObject;
    const bindings = (): JsonataBindings => ({ states: { input: data, context: {} }, variables, random: noRandom, now: NOW });
    try {
      if (state.Type === "Fail") {
        const error = state.Error === undefined ? null : await evaluateJsonataTemplate(state.Error, bindings(), "Error");
        const cause = state.Cause === undefined ? null : await evaluateJsonataTemplate(state.Cause, bindings(), "Cause");
        return { status: "FAILED", error: error as string | null, cause: cause as string | null };
      }
      let fields: JsonObject = state;
      let next = state.Next;
      if (state.Type === "Choice") {
        next = state.Default;
        for (const [index, rule] of (state.Choices as JsonObject[]).entries()) {
          if ((await evaluateJsonataTemplate(rule.Condition ?? null, bindings(), `Choices[${index}]/Condition`)) === true) {
            fields = rule;
            next = rule.Next;
            break;
          }
        }
      }
      const assigned = isJsonObject(fields.Assign) ? await evaluateAssign(fields.Assign, bindings()) : {};
      const output = fields.Output === undefined ? data : await evaluateJsonataTemplate(fields.Output, bindings(), "Output");
      variables = { ...variables, ...assigned };
      data = output;
      if (state.End === true) return { status: "SUCCEEDED", output: data };
      name = String(next);
    } catch (error) {
      if (error instanceof StatesError) return { status: "FAILED", error: error.error, cause: error.causeText };
      throw error;
    }
  }
  throw new Error("the machine did not end");
}

const cases = readFileSync(CASES_FILE, "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => JSON.parse(line) as Case)
  .filter(isSelected);

describe("JSONata expressions of the recorded AWS cases", () => {
  it("covers the JSONata cases that run straight through Pass, Choice and Fail", () => {
    expect(cases.length).toBeGreaterThanOrEqual(11);
  });

  it.each(cases.map((c) => [c.id, c] as const))("%s", async (_id, testCase) => {
    const outcome = await run(testCase.definition, testCase.input);
    expect(outcome.status).toBe(testCase.expected.status);
    if (outcome.status === "SUCCEEDED") {
      expect(jsonEquals(outcome.output, testCase.expected.output as Json), JSON.stringify(outcome.output)).toBe(true);
    } else {
      expect(outcome.error).toBe(testCase.expected.error ?? null);
      expect(causeBody(outcome.cause)).toBe(causeBody(testCase.expected.cause));
    }
  });
});
