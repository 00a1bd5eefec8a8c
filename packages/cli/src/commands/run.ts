import { parseArgs } from "node:util";
import {
  entryJson,
  type Json,
  type Mocks,
  parseMocks,
  type RunnerClock,
  runExecution,
  validateDefinition,
  virtualClock,
} from "@stepwise/asl";
import { CliError } from "../cli-error.ts";
import { type Output, parseJson, readText } from "../io.ts";
import { workflowType } from "../workflow-type.ts";

export const runUsage =
  "stepwise run DEFINITION.json [--input JSON | --input-file F] [--mocks F] [--type STANDARD|EXPRESS] [--no-wait] [--history]";

/** Wall-clock time, for runs that honour Wait states for real. */
const realClock: RunnerClock = {
  now: () => new Date(),
  sleepUntil: (date) => new Promise((resolve) => setTimeout(resolve, Math.max(0, date.getTime() - Date.now()))),
};

export async function runCommand(args: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      input: { type: "string" },
      "input-file": { type: "string" },
      mocks: { type: "string" },
      "no-wait": { type: "boolean", default: false },
      history: { type: "boolean", default: false },
      type: { type: "string", default: "STANDARD" },
    },
  });
  const type = workflowType(values.type);
  const [file] = positionals;
  if (!file || positionals.length > 1) throw new CliError("InvalidArguments", `usage: ${runUsage}`);
  if (values.input !== undefined && values["input-file"] !== undefined)
    throw new CliError("InvalidArguments", "give --input or --input-file, not both");
  const validation = validateDefinition(readText(file, "definition"));
  if (!validation.ok || !validation.definition) {
    for (const d of validation.diagnostics) io.err(JSON.stringify(d));
    throw new CliError("InvalidDefinition", `${file} is not a valid state machine definition`);
  }
  const inputText = values["input-file"] !== undefined ? readText(values["input-file"], "input") : (values.input ?? "{}");
  const input = parseJson(inputText, "InvalidExecutionInput", "the execution input");
  let mocks: Mocks | undefined;
  if (values.mocks !== undefined) {
    try {
      mocks = parseMocks(parseJson(readText(values.mocks, "mocks"), "InvalidMocks", "the mocks file"));
    } catch (e) {
      if (e instanceof CliError) throw e;
      throw new CliError("InvalidMocks", (e as Error).message);
    }
  }
  const clock = values["no-wait"] ? virtualClock(new Date()) : realClock;
  const result = await runExecution(validation.definition, { input, mocks, clock, random: Math.random, type });
  if (values.history) for (const event of result.events) io.out(JSON.stringify(event));
  // ResultWriter exports (kept in memory: no object store) are printed with the result, so they can be checked.
  const exports = result.resultWrites.map((w) => ({
    stateName: w.stateName,
    details: { ...w.details },
    entries: w.entries.map(entryJson),
  }));
  io.out(
    JSON.stringify({
      status: result.status,
      output: result.output ?? null,
      error: result.error ?? null,
      cause: result.cause ?? null,
      ...(exports.length > 0 ? { resultWrites: exports } : {}),
    } satisfies Record<string, Json>),
  );
  return result.status === "SUCCEEDED" ? 0 : 1;
}
