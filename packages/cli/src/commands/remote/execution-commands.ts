/** `stepwise stop | describe | history | tail`: one execution on a Stepwise server, by ARN. */
import { parseArgs } from "node:util";
import { CliError } from "../../cli-error.ts";
import type { Output } from "../../io.ts";
import { followHistory } from "./follow-history.ts";
import { remoteClient, remoteOptions, remoteUsage } from "./remote-options.ts";

export const stopUsage = `stepwise stop EXECUTION_ARN [--error E] [--cause C] ${remoteUsage}`;
export const describeUsage = `stepwise describe EXECUTION_ARN ${remoteUsage}`;
export const historyUsage = `stepwise history EXECUTION_ARN [--reverse] ${remoteUsage}`;
export const tailUsage = `stepwise tail EXECUTION_ARN ${remoteUsage}`;

const executionPath = (arn: string) => `/executions/${encodeURIComponent(arn)}`;

function oneArn(positionals: string[], usage: string): string {
  const [arn] = positionals;
  if (!arn || positionals.length > 1) throw new CliError("InvalidArguments", `usage: ${usage}`);
  return arn;
}

export async function stopCommand(args: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...remoteOptions, error: { type: "string" }, cause: { type: "string" } },
  });
  const arn = oneArn(positionals, stopUsage);
  const stopped = await remoteClient(values).call("POST", `${executionPath(arn)}/stop`, {
    ...(values.error === undefined ? {} : { error: values.error }),
    ...(values.cause === undefined ? {} : { cause: values.cause }),
  });
  io.out(JSON.stringify(stopped));
  return 0;
}

/** The whole description, indented: it is read by people more than by scripts. */
export async function describeCommand(args: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: remoteOptions });
  const arn = oneArn(positionals, describeUsage);
  io.out(JSON.stringify(await remoteClient(values).call("GET", executionPath(arn)), null, 2));
  return 0;
}

/** One event per line, every page. */
export async function historyCommand(args: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...remoteOptions, reverse: { type: "boolean", default: false } },
  });
  const arn = oneArn(positionals, historyUsage);
  const client = remoteClient(values);
  let after: number | undefined;
  do {
    const query = `?reverse=${values.reverse}${after === undefined ? "" : `&after=${after}`}`;
    const page = await client.call<{ events: unknown[]; nextAfter?: number }>("GET", `${executionPath(arn)}/history${query}`);
    for (const event of page.events) io.out(JSON.stringify(event));
    after = page.nextAfter;
  } while (after !== undefined);
  return 0;
}

/** Prints events as they happen, one JSON line each, until the execution has ended. */
export async function tailCommand(args: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: remoteOptions });
  const arn = oneArn(positionals, tailUsage);
  await followHistory(remoteClient(values), arn, (json) => io.out(json));
  return 0;
}
