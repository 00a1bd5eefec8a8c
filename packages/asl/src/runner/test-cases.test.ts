import { describe, expect, it } from "vitest";
import type { Json } from "../json.ts";
import { parseMocks } from "./mocks.ts";
import { runExecution } from "./run-execution.ts";
import { parseCases, runCase, summarize, type TestCase } from "./test-cases.ts";

const LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:charge";
const taskDefinition = { StartAt: "Charge", States: { Charge: { Type: "Task", Resource: LAMBDA, End: true } } };

function testCase(overrides: Partial<TestCase>): TestCase {
  return {
    id: "c",
    definition: taskDefinition,
    mocks: { Charge: [{ Return: { ok: true } }] },
    expected: { status: "SUCCEEDED", output: { ok: true } },
    ...overrides,
  };
}

describe("parseCases", () => {
  it("reads one case per non-empty line", () => {
    const cases = parseCases(`${JSON.stringify(testCase({ id: "a" }))}\n\n${JSON.stringify(testCase({ id: "b" }))}\n`);
    expect(cases.map((c) => c.id)).toEqual(["a", "b"]);
  });

  it("names the line that is not JSON or not a case", () => {
    expect(() => parseCases(`${JSON.stringify(testCase({}))}\n{oops`)).toThrow(/^Line 2: not JSON/);
    expect(() => parseCases(JSON.stringify({ id: "x", definition: {}, expected: { status: "DONE" } }))).toThrow(
      /^Line 1: invalid test case at expected\.status: /,
    );
  });
});

describe("runCase", () => {
  it("passes a case whose result matches, using its mocks", async () => {
    const report = await runCase(
      testCase({
        events: [
          "ExecutionStarted",
          "TaskStateEntered",
          "LambdaFunctionScheduled",
          "LambdaFunctionStarted",
          "LambdaFunctionSucceeded",
          "TaskStateExited",
          "ExecutionSucceeded",
        ],
      }),
    );
    expect(report).toMatchObject({ id: "c", pass: true, status: "SUCCEEDED", output: { ok: true }, causeMatches: true, eventsMatch: true });
  });

  it("fails a case whose output differs, and says so", async () => {
    const report = await runCase(testCase({ expected: { status: "SUCCEEDED", output: { ok: false } } }));
    expect(report).toMatchObject({ pass: false, reason: "output differs" });
  });

  it("passes a failing execution on its error, and reports whether the cause matched word for word", async () => {
    const mocks = { Charge: [{ Throw: { Error: "Declined", Cause: "card expired" } }] };
    const exact = await runCase(testCase({ mocks, expected: { status: "FAILED", error: "Declined", cause: "card expired" } }));
    expect(exact).toMatchObject({ pass: true, causeMatches: true });
    const otherCause = await runCase(testCase({ mocks, expected: { status: "FAILED", error: "Declined", cause: "something else" } }));
    expect(otherCause).toMatchObject({ pass: true, causeMatches: false });
    const otherError = await runCase(testCase({ mocks, expected: { status: "FAILED", error: "Other" } }));
    expect(otherError).toMatchObject({ pass: false, reason: "error Declined, expected Other" });
  });

  it("runs a distributed Map over the dataset its mocks give, with Task mocks for its children", async () => {
    const definition = {
      StartAt: "Rows",
      States: {
        Rows: {
          Type: "Map",
          ItemReader: {
            Resource: "arn:aws:states:::s3:getObject",
            ReaderConfig: { InputType: "JSONL" },
            Parameters: { Bucket: "b", Key: "k" },
          },
          ItemBatcher: { MaxItemsPerBatch: 2 },
          ItemProcessor: {
            ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "EXPRESS" },
            StartAt: "Charge",
            States: { Charge: { Type: "Task", Resource: LAMBDA, End: true } },
          },
          End: true,
        },
      },
    };
    const mocks = { Rows: { ItemReader: { Return: [1, 2, 3] } }, Charge: [{ Return: "charged" }] };
    const pass = await runCase(testCase({ definition, mocks, expected: { status: "SUCCEEDED", output: ["charged", "charged"] } }));
    expect(pass).toMatchObject({ pass: true });
    const failing = { Rows: { ItemReader: { Throw: { Error: "States.ItemReaderFailed", Cause: "gone" } } } };
    const failed = await runCase(
      testCase({ definition, mocks: failing, expected: { status: "FAILED", error: "States.ItemReaderFailed", cause: "gone" } }),
    );
    expect(failed).toMatchObject({ pass: true, causeMatches: true });
  });

  it("checks a distributed Map's ResultWriter export: its details and each child's entry on the fields the case names", async () => {
    const definition = {
      StartAt: "Rows",
      States: {
        Rows: {
          Type: "Map",
          ItemReader: {
            Resource: "arn:aws:states:::s3:getObject",
            ReaderConfig: { InputType: "JSONL" },
            Parameters: { Bucket: "b", Key: "k" },
          },
          ItemProcessor: {
            ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
            StartAt: "Charge",
            States: { Charge: { Type: "Task", Resource: LAMBDA, End: true } },
          },
          ToleratedFailureCount: 1,
          ResultWriter: { Resource: "arn:aws:states:::s3:putObject", Parameters: { Bucket: "out", Prefix: "runs" } },
          End: true,
        },
      },
    };
    const mocks = {
      Rows: { ItemReader: { Return: [{ n: 1 }, { n: 2 }] } },
      Charge: [{ Return: "charged" }, { Throw: { Error: "Declined", Cause: "card expired" } }],
    };
    const succeeded: Record<string, unknown> = { Status: "SUCCEEDED", Input: '{"n":1}', Output: '"charged"' };
    const failed: Record<string, unknown> = { Status: "FAILED", Input: '{"n":2}', Error: "Declined", Cause: "card expired" };
    const entries = [succeeded, failed];
    const run = await runExecution(definition as never, { input: {}, mocks: parseMocks(mocks) });
    const details = run.resultWrites[0]?.details as unknown as Json;
    const expected = (resultWrites: NonNullable<TestCase["expected"]["resultWrites"]>) => ({
      status: "SUCCEEDED" as const,
      output: { ResultWriterDetails: details },
      resultWrites,
    });
    const pass = await runCase(testCase({ definition, mocks, expected: expected([{ stateName: "Rows", details, entries }]) }));
    expect(pass).toMatchObject({ pass: true });
    const wrongEntry = [succeeded, { ...failed, Status: "SUCCEEDED" }];
    const fails = await runCase(testCase({ definition, mocks, expected: expected([{ stateName: "Rows", entries: wrongEntry }]) }));
    expect(fails).toMatchObject({ pass: false, reason: 'ResultWriter export 1 (Rows): entry 1 has Status "FAILED", expected "SUCCEEDED"' });
    const none = await runCase(testCase({ definition, mocks, expected: expected([]) }));
    expect(none).toMatchObject({ pass: false, reason: "1 ResultWriter exports, expected 0" });
  });

  it("reports a case with malformed mocks as INVALID instead of throwing", async () => {
    const report = await runCase(testCase({ mocks: { Charge: [{ Return: 1, Throw: { Error: "E" } }] } }));
    expect(report.pass).toBe(false);
    expect(report.status).toBe("INVALID");
    expect(report.reason).toMatch(/^Invalid mocks at Charge\.0: /);
  });

  it("reports a case with an invalid definition as INVALID", async () => {
    const report = await runCase(testCase({ definition: { StartAt: "Missing", States: {} } }));
    expect(report).toMatchObject({ pass: false, status: "INVALID" });
    expect(report.reason).toMatch(/^invalid definition: /);
  });
});

describe("summarize", () => {
  it("counts passed and failed cases", async () => {
    const reports = [await runCase(testCase({})), await runCase(testCase({ expected: { status: "FAILED" } }))];
    expect(summarize(reports)).toBe("1 passed, 1 failed");
  });
});
