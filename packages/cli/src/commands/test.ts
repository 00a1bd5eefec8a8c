import { parseArgs } from "node:util";
import { parseCases, runCase, summarize, type TestCase } from "@stepwise/asl";
import { CliError } from "../cli-error.ts";
import { type Output, readText } from "../io.ts";
import { workflowType } from "../workflow-type.ts";

export const testUsage = "stepwise test CASES.jsonl [--type STANDARD|EXPRESS] [--report]";

/** Runs a file of test cases; the last line is `N passed, N failed`. */
export async function testCommand(args: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { report: { type: "boolean", default: false }, type: { type: "string", default: "STANDARD" } },
  });
  // A case's own `type` wins over the option.
  const type = workflowType(values.type);
  const [file] = positionals;
  if (!file || positionals.length > 1) throw new CliError("InvalidArguments", `usage: ${testUsage}`);
  let cases: TestCase[];
  try {
    cases = parseCases(readText(file, "test cases"));
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError("InvalidTestCases", `${file}: ${(e as Error).message}`);
  }
  const reports = [];
  for (const testCase of cases) {
    const report = await runCase({ ...testCase, type: testCase.type ?? type });
    reports.push(report);
    if (values.report) {
      io.out(
        JSON.stringify({
          id: report.id,
          pass: report.pass,
          status: report.status,
          output: report.output ?? null,
          error: report.error ?? null,
          cause: report.cause ?? null,
        }),
      );
    } else if (!report.pass) {
      io.err(`FAIL ${report.id}: ${report.reason}`);
    }
  }
  io.out(summarize(reports));
  return reports.every((r) => r.pass) ? 0 : 1;
}
