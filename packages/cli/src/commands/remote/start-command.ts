/** `stepwise start`: starts an execution on a Stepwise server, optionally waiting for its result. */
import { parseArgs } from "node:util";
import type { Json } from "@stepwise/asl";
import { CliError } from "../../cli-error.ts";
import { type Output, parseJson, readText } from "../../io.ts";
import { followHistory } from "./follow-history.ts";
import { remoteClient, remoteOptions, remoteUsage } from "./remote-options.ts";

export const startUsage = `stepwise start NAME [--input JSON | --input-file F] [--name EXECUTION_NAME] [--wait] ${remoteUsage}`;

interface DescribedExecution {
  status: string;
  output: Json;
  error: string | null;
  cause: string | null;
}

/**
 * Prints `{executionArn, startDate}`; with --wait, follows the execution to its end and prints
 * `{status, output, error, cause}` as `stepwise run` does, exiting 0 only when it SUCCEEDED.
 */
export async function startCommand(args: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...remoteOptions,
      input: { type: "string" },
      "input-file": { type: "string" },
      name: { type: "string" },
      wait: { type: "boolean", default: false },
    },
  });
  const [machine] = positionals;
  if (!machine || positionals.length > 1) throw new CliError("InvalidArguments", `usage: ${startUsage}`);
  if (values.input !== undefined && values["input-file"] !== undefined)
    throw new CliError("InvalidArguments", "give --input or --input-file, not both");
  const inputText = values["input-file"] !== undefined ? readText(values["input-file"], "input") : (values.input ?? "{}");
  const input = parseJson(inputText, "InvalidExecutionInput", "the execution input");
  const client = remoteClient(values);
  const started = await client.call<{ executionArn: string; startDate: string }>(
    "POST",
    `/state-machines/${encodeURIComponent(machine)}/executions`,
    {
      input,
      ...(values.name === undefined ? {} : { name: values.name }),
    },
  );
  if (!values.wait) {
    io.out(JSON.stringify(started));
    return 0;
  }
  await followHistory(client, started.executionArn, () => {});
  const result = await client.call<DescribedExecution>("GET", `/executions/${encodeURIComponent(started.executionArn)}`);
  io.out(JSON.stringify({ status: result.status, output: result.output, error: result.error, cause: result.cause }));
  return result.status === "SUCCEEDED" ? 0 : 1;
}
