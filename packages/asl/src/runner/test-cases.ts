/**
 * Test cases in the conformance format (definition, input, mocks, expected result): users keep files
 * of them beside their state machines, and the conformance suite uses the same runner.
 */
import { z } from "zod";
import type { StateMachineDefinition } from "../definition.ts";
import { type Json, jsonEquals } from "../json.ts";
import { validateDefinition } from "../validate/index.ts";
import { type Mocks, parseMocks } from "./mocks.ts";
import { type RunOptions, type RunResult, runExecution } from "./run-execution.ts";

const caseSchema = z.object({
  id: z.string(),
  category: z.string().optional(),
  definition: z.unknown(),
  input: z.unknown().optional(),
  mocks: z.unknown().optional(),
  expected: z.object({
    status: z.enum(["SUCCEEDED", "FAILED", "ABORTED", "TIMED_OUT"]),
    output: z.unknown().optional(),
    error: z.string().nullable().optional(),
    cause: z.string().nullable().optional(),
    /**
     * The distributed Maps' ResultWriter exports, in the order they happened: each names its Map state and
     * may give the ResultWriterDetails and the entries (in child order). An entry is compared on the
     * fields it names (`Status`, `Input`, `Output`, `Error`, `Cause`, …): ARNs and dates differ per run.
     */
    resultWrites: z
      .array(
        z.object({
          stateName: z.string(),
          details: z.unknown().optional(),
          entries: z.array(z.record(z.string(), z.unknown())).optional(),
        }),
      )
      .optional(),
  }),
  events: z.array(z.string()).optional(),
  /** Run as this workflow type (STANDARD unless the runner is told otherwise). */
  type: z.enum(["STANDARD", "EXPRESS"]).optional(),
});

export type TestCase = z.infer<typeof caseSchema>;

export interface CaseReport {
  id: string;
  category?: string;
  pass: boolean;
  status: RunResult["status"] | "INVALID";
  output?: Json;
  error?: string | null;
  cause?: string | null;
  /** Whether the cause text matched word for word (the goal, not required to pass). */
  causeMatches: boolean;
  /** Whether the history's event types matched the recorded ones, where the case records them. */
  eventsMatch?: boolean;
  /** The history's event types, where the case records the expected ones (to show how they differ). */
  events?: string[];
  /** Why the case failed, in words. */
  reason?: string;
}

/** Parse a JSON Lines file of cases; a bad line is an error naming its line number. */
export function parseCases(text: string): TestCase[] {
  const cases: TestCase[] = [];
  for (const [i, line] of text.split("\n").entries()) {
    if (line.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new Error(`Line ${i + 1}: not JSON (${(e as Error).message})`);
    }
    const parsed = caseSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`Line ${i + 1}: invalid test case at ${issue?.path.join(".") || "(root)"}: ${issue?.message}`);
    }
    cases.push(parsed.data);
  }
  return cases;
}

export async function runCase(testCase: TestCase, options: Omit<RunOptions, "input" | "mocks"> = {}): Promise<CaseReport> {
  const base = { id: testCase.id, ...(testCase.category ? { category: testCase.category } : {}) };
  const validation = validateDefinition(testCase.definition);
  if (!validation.ok || !validation.definition) {
    const first = validation.diagnostics.find((d) => d.severity === "ERROR");
    return {
      ...base,
      pass: false,
      status: "INVALID",
      causeMatches: false,
      reason: `invalid definition: ${first?.code} at ${first?.location}: ${first?.message}`,
    };
  }
  let mocks: Mocks | undefined;
  try {
    mocks = testCase.mocks === undefined ? undefined : parseMocks(testCase.mocks);
  } catch (e) {
    return { ...base, pass: false, status: "INVALID", causeMatches: false, reason: (e as Error).message };
  }
  const result = await runExecution(validation.definition as StateMachineDefinition, {
    ...options,
    input: (testCase.input ?? {}) as Json,
    mocks,
    ...(testCase.type ? { type: testCase.type } : {}),
  });
  return compare(testCase, result, base);
}

function compare(testCase: TestCase, result: RunResult, base: { id: string; category?: string }): CaseReport {
  const expected = testCase.expected;
  const actual = { status: result.status, output: result.output, error: result.error, cause: result.cause };
  const report: CaseReport = { ...base, ...actual, pass: true, causeMatches: (expected.cause ?? null) === (result.cause ?? null) };
  if (testCase.events) {
    report.events = result.events.map((e) => e.type);
    report.eventsMatch = jsonEquals(testCase.events, report.events);
  }
  if (result.status !== expected.status) return { ...report, pass: false, reason: `status ${result.status}, expected ${expected.status}` };
  if (expected.status === "SUCCEEDED" && !jsonEquals((expected.output ?? null) as Json, result.output ?? null)) {
    return { ...report, pass: false, reason: "output differs" };
  }
  if (expected.status !== "SUCCEEDED" && (expected.error ?? null) !== (result.error ?? null)) {
    return { ...report, pass: false, reason: `error ${result.error}, expected ${expected.error}` };
  }
  const writes = expected.resultWrites === undefined ? undefined : resultWritesDiffer(expected.resultWrites, result.resultWrites);
  if (writes) return { ...report, pass: false, reason: writes };
  return report;
}

type ExpectedWrite = NonNullable<TestCase["expected"]["resultWrites"]>[number];

/** How the exports differ from the expected ones, in words; undefined when they match. */
function resultWritesDiffer(expected: ExpectedWrite[], actual: RunResult["resultWrites"]): string | undefined {
  if (expected.length !== actual.length) return `${actual.length} ResultWriter exports, expected ${expected.length}`;
  for (const [w, want] of expected.entries()) {
    const got = actual[w] as RunResult["resultWrites"][number];
    const which = `ResultWriter export ${w + 1} (${got.stateName})`;
    if (got.stateName !== want.stateName) return `${which} is of state ${got.stateName}, expected ${want.stateName}`;
    if (want.details !== undefined && !jsonEquals(want.details as Json, got.details as unknown as Json)) return `${which}: details differ`;
    if (want.entries === undefined) continue;
    if (want.entries.length !== got.entries.length) return `${which}: ${got.entries.length} entries, expected ${want.entries.length}`;
    for (const [i, entry] of want.entries.entries()) {
      const gotEntry = got.entries[i] as unknown as Record<string, Json>;
      for (const [field, value] of Object.entries(entry)) {
        if (!jsonEquals(value as Json, gotEntry[field] ?? null))
          return `${which}: entry ${i} has ${field} ${JSON.stringify(gotEntry[field] ?? null)}, expected ${JSON.stringify(value)}`;
      }
    }
  }
  return undefined;
}

export function summarize(reports: CaseReport[]): string {
  const passed = reports.filter((r) => r.pass).length;
  return `${passed} passed, ${reports.length - passed} failed`;
}
