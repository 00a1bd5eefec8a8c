import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "./main.ts";

const dir = mkdtempSync(join(tmpdir(), "stepwise-cli-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return {
    code,
    out,
    err,
    /** The last stdout line as JSON (the result line of `run`). */
    get last() {
      return JSON.parse(out.at(-1) ?? "undefined");
    },
  };
}

const LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:charge";

const pass = file("pass.json", { StartAt: "P", States: { P: { Type: "Pass", Parameters: { "got.$": "$.a" }, End: true } } });
const task = file("task.json", { StartAt: "Charge", States: { Charge: { Type: "Task", Resource: LAMBDA, End: true } } });
const longWait = file("wait.json", { StartAt: "W", States: { W: { Type: "Wait", Seconds: 86_400, End: true } } });
const failing = file("fail.json", { StartAt: "F", States: { F: { Type: "Fail", Error: "Broken", Cause: "on purpose" } } });
const invalid = file("invalid.json", { StartAt: "P", States: { P: { Type: "Pass", Next: "Nowhere" } } });
const missing = join(dir, "does-not-exist.json");

describe("stepwise run", () => {
  it("runs a definition with --input and prints the result as one JSON line", async () => {
    const { code, out, err, last } = await cli("run", pass, "--input", '{"a":[1,2]}');
    expect(code).toBe(0);
    expect(err).toEqual([]);
    expect(out).toHaveLength(1);
    expect(last).toEqual({ status: "SUCCEEDED", output: { got: [1, 2] }, error: null, cause: null });
  });

  it("runs with {} as input by default", async () => {
    const { code, last } = await cli("run", file("echo.json", { StartAt: "P", States: { P: { Type: "Pass", End: true } } }));
    expect(code).toBe(0);
    expect(last.output).toEqual({});
  });

  it("reads the input from --input-file", async () => {
    const { code, last } = await cli("run", pass, "--input-file", file("input.json", { a: "from file" }));
    expect(code).toBe(0);
    expect(last.output).toEqual({ got: "from file" });
  });

  it("answers Task states from --mocks", async () => {
    const mocks = file("mocks.json", { Charge: [{ Return: { receipt: "r-1" } }] });
    const { code, last } = await cli("run", task, "--mocks", mocks);
    expect(code).toBe(0);
    expect(last.output).toEqual({ receipt: "r-1" });
  });

  it("reads a distributed Map's dataset from --mocks and prints its ResultWriter export with the result", async () => {
    const batchJob = file("batch.json", {
      StartAt: "Rows",
      States: {
        Rows: {
          Type: "Map",
          ItemReader: {
            Resource: "arn:aws:states:::s3:getObject",
            ReaderConfig: { InputType: "CSV", CSVHeaderLocation: "FIRST_ROW" },
            Parameters: { Bucket: "data", Key: "rows.csv" },
          },
          ItemBatcher: { MaxItemsPerBatch: 2 },
          ItemProcessor: {
            ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
            StartAt: "Count",
            States: { Count: { Type: "Pass", Parameters: { "n.$": "States.ArrayLength($.Items)" }, End: true } },
          },
          ResultWriter: { Resource: "arn:aws:states:::s3:putObject", Parameters: { Bucket: "out", Prefix: "runs" } },
          End: true,
        },
      },
    });
    const mocks = file("dataset.json", { Rows: { ItemReader: { Return: [{ id: "1" }, { id: "2" }, { id: "3" }] } } });
    const { code, last } = await cli("run", batchJob, "--mocks", mocks);
    expect(code).toBe(0);
    expect(last.output.ResultWriterDetails).toMatchObject({ Bucket: "out", Key: expect.stringMatching(/^runs\/.+\/manifest\.json$/) });
    expect(last.resultWrites).toHaveLength(1);
    expect(last.resultWrites[0].stateName).toBe("Rows");
    expect(last.resultWrites[0].details).toEqual(last.output.ResultWriterDetails);
    expect(last.resultWrites[0].entries.map((e: { Status: string; Output: string }) => [e.Status, JSON.parse(e.Output)])).toEqual([
      ["SUCCEEDED", { n: 2 }],
      ["SUCCEEDED", { n: 1 }],
    ]);

    const failing = file("dataset-fails.json", {
      Rows: { ItemReader: { Throw: { Error: "States.ItemReaderFailed", Cause: "no such key" } } },
    });
    const failed = await cli("run", batchJob, "--mocks", failing);
    expect(failed.code).toBe(1);
    expect(failed.last).toMatchObject({ status: "FAILED", error: "States.ItemReaderFailed", cause: "no such key" });
  });

  it("exits 1 and prints the error when the execution fails", async () => {
    const mocks = file("throw.json", { Charge: [{ Throw: { Error: "Payment.Declined", Cause: "card expired" } }] });
    const { code, last } = await cli("run", task, "--mocks", mocks);
    expect(code).toBe(1);
    expect(last).toEqual({ status: "FAILED", output: null, error: "Payment.Declined", cause: "card expired" });
    expect((await cli("run", failing)).last).toEqual({ status: "FAILED", output: null, error: "Broken", cause: "on purpose" });
  });

  it("skips Wait states with --no-wait", async () => {
    const started = Date.now();
    const { code, last } = await cli("run", longWait, "--no-wait", "--input", '"x"');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(code).toBe(0);
    expect(last.output).toBe("x");
  });

  it("waits for real without --no-wait", async () => {
    const started = Date.now();
    const { code } = await cli("run", file("short-wait.json", { StartAt: "W", States: { W: { Type: "Wait", Seconds: 1, End: true } } }));
    expect(code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it("prints the history as JSON lines before the result line with --history", async () => {
    const { code, out, last } = await cli("run", pass, "--input", '{"a":1}', "--history");
    expect(code).toBe(0);
    const events = out.slice(0, -1).map((line) => JSON.parse(line));
    expect(events.map((e) => e.type)).toEqual(["ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]);
    expect(events.map((e) => e.id)).toEqual([1, 2, 3, 4]);
    expect(last).toEqual({ status: "SUCCEEDED", output: { got: 1 }, error: null, cause: null });
  });

  it("refuses an invalid definition with its diagnostics on stderr", async () => {
    const { code, out, err } = await cli("run", invalid);
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(err.slice(0, -1).map((line) => JSON.parse(line).code)).toContain("MISSING_TRANSITION_TARGET");
    expect(err.at(-1)).toBe(`InvalidDefinition: ${invalid} is not a valid state machine definition`);
  });
});

describe("stepwise run --type", () => {
  // An Express execution's ARN has one part more than a Standard one's: the execution id after the name.
  const arnShape = {
    StartAt: "P",
    States: {
      P: {
        Type: "Pass",
        Parameters: {
          "kind.$": "States.ArrayGetItem(States.StringSplit($$.Execution.Id, ':'), 5)",
          "parts.$": "States.ArrayLength(States.StringSplit($$.Execution.Id, ':'))",
          "arn.$": "$$.Execution.Id",
        },
        End: true,
      },
    },
  };
  const arnShapeFile = file("arn-shape.json", arnShape);

  it("runs as EXPRESS with an Express execution ARN", async () => {
    const { code, last } = await cli("run", arnShapeFile, "--type", "EXPRESS");
    expect(code).toBe(0);
    expect(last.output).toMatchObject({ kind: "express", parts: 9 });
    expect(last.output.arn.split(":").at(-1)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("runs as STANDARD by default, whose ARN ends with the execution's name", async () => {
    const { code, last } = await cli("run", arnShapeFile);
    expect(code).toBe(0);
    expect(last.output).toMatchObject({ kind: "execution", parts: 8 });
    expect(last.output.arn.split(":").at(-1)).toBe("local");
  });

  it("refuses a type AWS does not have", async () => {
    const { code, err } = await cli("run", pass, "--type", "SYNC");
    expect(code).toBe(2);
    expect(err.join("\n")).toContain("--type must be STANDARD or EXPRESS");
  });

  it("stepwise test runs a case as its `type` says, else as --type says", async () => {
    const expressCase = {
      id: "express",
      // The ARN's kind alone: the whole ARN ends with a random id.
      definition: {
        ...arnShape,
        States: { P: { ...arnShape.States.P, Parameters: { "kind.$": arnShape.States.P.Parameters["kind.$"] } } },
      },
      type: "EXPRESS",
      expected: { status: "SUCCEEDED", output: { kind: "express" } },
    };
    const byOption = { ...expressCase, id: "by-option", type: undefined };
    const { code, out, err } = await cli("test", file("typed.jsonl", `${JSON.stringify(expressCase)}\n${JSON.stringify(byOption)}\n`));
    expect(code).toBe(1);
    expect(err).toEqual(["FAIL by-option: output differs"]);
    expect(out.at(-1)).toBe("1 passed, 1 failed");
    const asExpress = await cli("test", file("typed-option.jsonl", `${JSON.stringify(byOption)}\n`), "--type", "EXPRESS");
    expect(asExpress.out.at(-1)).toBe("1 passed, 0 failed");
  });
});

describe("stepwise validate", () => {
  it("exits 0 for a valid definition", async () => {
    const { code, out, err } = await cli("validate", pass);
    expect(code).toBe(0);
    expect(out).toEqual([]);
    expect(err).toEqual(["valid (0 warning(s))"]);
  });

  it("exits 1 and prints each diagnostic as a JSON line for an invalid definition", async () => {
    const { code, out, err } = await cli("validate", invalid);
    expect(code).toBe(1);
    const diagnostics = out.map((line) => JSON.parse(line));
    expect(diagnostics).toContainEqual({
      severity: "ERROR",
      code: "MISSING_TRANSITION_TARGET",
      message: "Missing 'Next' target: Nowhere",
      location: "/States/P/Next",
    });
    expect(err).toEqual([`invalid: ${diagnostics.length} error(s)`]);
  });

  it("reports a file that is not JSON as a diagnostic", async () => {
    const { code, out } = await cli("validate", file("not-json.json", "{ nope"));
    expect(code).toBe(1);
    expect(JSON.parse(out[0] as string)).toMatchObject({ severity: "ERROR", code: "INVALID_JSON_DESCRIPTION", location: "/" });
  });
});

describe("stepwise test", () => {
  const passDefinition = { StartAt: "P", States: { P: { Type: "Pass", End: true } } };
  const cases = (lines: unknown[]) =>
    file(`cases-${Math.random().toString(36).slice(2)}.jsonl`, `${lines.map((l) => JSON.stringify(l)).join("\n")}\n`);
  const good = { id: "echo", definition: passDefinition, input: { a: 1 }, expected: { status: "SUCCEEDED", output: { a: 1 } } };
  const mocked = {
    id: "declined",
    definition: { StartAt: "Charge", States: { Charge: { Type: "Task", Resource: LAMBDA, End: true } } },
    mocks: { Charge: [{ Throw: { Error: "Payment.Declined", Cause: "card expired" } }] },
    expected: { status: "FAILED", error: "Payment.Declined", cause: "card expired" },
  };
  const wrong = { id: "wrong", definition: passDefinition, input: { a: 1 }, expected: { status: "SUCCEEDED", output: { a: 2 } } };

  it("exits 0 with `N passed, 0 failed` as the last line when every case passes", async () => {
    const { code, out, err } = await cli("test", cases([good, mocked]));
    expect(code).toBe(0);
    expect(out).toEqual(["2 passed, 0 failed"]);
    expect(err).toEqual([]);
  });

  it("exits 1 and names the failing case", async () => {
    const { code, out, err } = await cli("test", cases([good, wrong, mocked]));
    expect(code).toBe(1);
    expect(out.at(-1)).toBe("2 passed, 1 failed");
    expect(err).toEqual(["FAIL wrong: output differs"]);
  });

  it("prints one JSON line per case with --report, then the summary", async () => {
    const { code, out } = await cli("test", cases([good, wrong]), "--report");
    expect(code).toBe(1);
    expect(out.slice(0, -1).map((line) => JSON.parse(line))).toEqual([
      { id: "echo", pass: true, status: "SUCCEEDED", output: { a: 1 }, error: null, cause: null },
      { id: "wrong", pass: false, status: "SUCCEEDED", output: { a: 1 }, error: null, cause: null },
    ]);
    expect(out.at(-1)).toBe("1 passed, 1 failed");
  });

  it("fails a case whose mocks are malformed, without stopping the run", async () => {
    const badMocks = { ...mocked, id: "bad-mocks", mocks: { Charge: "not a list" } };
    const { code, out, err } = await cli("test", cases([badMocks, good]));
    expect(code).toBe(1);
    expect(out.at(-1)).toBe("1 passed, 1 failed");
    expect(err[0]).toMatch(/^FAIL bad-mocks: Invalid mocks at Charge: /);
  });

  it("fails a case whose definition is invalid", async () => {
    const { code, err } = await cli("test", cases([{ ...good, id: "broken", definition: { StartAt: "P", States: {} } }]));
    expect(code).toBe(1);
    expect(err[0]).toMatch(/^FAIL broken: invalid definition: /);
  });

  it("refuses a cases file with a line that is not JSON, naming the line", async () => {
    const path = file("broken.jsonl", `${JSON.stringify(good)}\n{ not json\n`);
    const { code, err } = await cli("test", path);
    expect(code).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^InvalidTestCases: .*broken\.jsonl: Line 2: not JSON/);
  });
});

describe("bad invocations", () => {
  const noStackTrace = (lines: string[]) => expect(lines.join("\n")).not.toMatch(/\n\s+at /);

  it("reports input that is not JSON as InvalidExecutionInput, exit 2", async () => {
    const { code, out, err } = await cli("run", pass, "--input", "{not json");
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^InvalidExecutionInput: the execution input is not valid JSON: /);
    noStackTrace(err);
  });

  it("reports an --input-file that is not JSON the same way", async () => {
    const { code, err } = await cli("run", pass, "--input-file", file("bad-input.json", "nope"));
    expect(code).toBe(2);
    expect(err[0]).toMatch(/^InvalidExecutionInput: /);
  });

  it("refuses input nested too deeply to process, instead of overflowing the stack", async () => {
    const deep = `${"[".repeat(10_000)}1${"]".repeat(10_000)}`;
    const { code, err } = await cli("run", pass, "--input-file", file("deep-input.json", deep));
    expect(code).toBe(2);
    expect(err).toEqual(["InvalidExecutionInput: the execution input is nested too deeply to be processed"]);
  });

  it("names a missing definition file", async () => {
    const { code, err } = await cli("run", missing);
    expect(code).toBe(2);
    expect(err).toEqual([`FileNotReadable: cannot read definition ${missing}: ENOENT`]);
    expect((await cli("validate", missing)).err).toEqual([`FileNotReadable: cannot read definition ${missing}: ENOENT`]);
    expect((await cli("test", missing)).err).toEqual([`FileNotReadable: cannot read test cases ${missing}: ENOENT`]);
  });

  it("names a missing input or mocks file", async () => {
    expect((await cli("run", pass, "--input-file", missing)).err).toEqual([`FileNotReadable: cannot read input ${missing}: ENOENT`]);
    expect((await cli("run", task, "--mocks", missing)).err).toEqual([`FileNotReadable: cannot read mocks ${missing}: ENOENT`]);
  });

  it("reports a malformed dataset mock as InvalidMocks, naming where", async () => {
    const mocks = file("bad-dataset.json", { Rows: { ItemReader: { Return: { id: 1 } } } });
    const { code, err } = await cli("run", task, "--mocks", mocks);
    expect(code).toBe(2);
    expect(err.join("\n")).toContain("Rows.ItemReader");
  });

  it("reports malformed mocks as InvalidMocks", async () => {
    const { code, err } = await cli("run", task, "--mocks", file("bad-mocks.json", { Charge: [{ Return: 1, Throw: { Error: "E" } }] }));
    expect(code).toBe(2);
    expect(err[0]).toMatch(/^InvalidMocks: Invalid mocks at Charge\.0: /);
  });

  it("rejects an unknown command with the usage", async () => {
    const { code, err } = await cli("frobnicate");
    expect(code).toBe(2);
    expect(err[0]).toMatch(/^UnknownCommand: unknown command 'frobnicate'\nusage:/);
  });

  it("rejects an unknown option, a missing option value, and --input with --input-file", async () => {
    const unknown = await cli("run", pass, "--bogus");
    expect(unknown.code).toBe(2);
    expect(unknown.err[0]).toMatch(/^InvalidArguments: Unknown option '--bogus'/);
    const noValue = await cli("run", pass, "--input");
    expect(noValue.code).toBe(2);
    expect(noValue.err[0]).toMatch(/^InvalidArguments: Option '--input <value>' argument missing/);
    const both = await cli("run", pass, "--input", "{}", "--input-file", missing);
    expect(both).toMatchObject({ code: 2, err: ["InvalidArguments: give --input or --input-file, not both"] });
  });

  it("prints the usage and exits 2 without a command, 0 for help", async () => {
    const none = await cli();
    expect(none.code).toBe(2);
    expect(none.out[0]).toMatch(/^usage:\n {2}stepwise run /);
    expect((await cli("help")).code).toBe(0);
  });
});
