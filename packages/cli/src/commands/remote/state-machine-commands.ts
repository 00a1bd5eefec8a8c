/** `stepwise create | update | list`: state machines on a Stepwise server. */
import { parseArgs } from "node:util";
import { CliError } from "../../cli-error.ts";
import { type Output, readText } from "../../io.ts";
import { remoteClient, remoteOptions, remoteUsage } from "./remote-options.ts";
import { RemoteError } from "./rest-client.ts";

export const createUsage = `stepwise create NAME DEFINITION.json [--type STANDARD|EXPRESS] [--role-arn ARN] ${remoteUsage}`;
export const updateUsage = `stepwise update NAME DEFINITION.json ${remoteUsage}`;
export const listUsage = `stepwise list ${remoteUsage}`;

interface Diagnostics {
  warnings: unknown[];
}

/** Every diagnostic goes to stderr as a JSON line, as `stepwise validate` prints them. */
async function reportingDiagnostics<T extends Diagnostics>(io: Output, request: () => Promise<T>): Promise<T> {
  try {
    const result = await request();
    for (const warning of result.warnings) io.err(JSON.stringify(warning));
    return result;
  } catch (e) {
    if (e instanceof RemoteError) for (const diagnostic of e.diagnostics) io.err(JSON.stringify(diagnostic));
    throw e;
  }
}

export async function createCommand(args: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...remoteOptions, type: { type: "string" }, "role-arn": { type: "string" } },
  });
  const [name, file] = positionals;
  if (!name || !file || positionals.length > 2) throw new CliError("InvalidArguments", `usage: ${createUsage}`);
  const definition = readText(file, "definition");
  const client = remoteClient(values);
  const created = await reportingDiagnostics(io, () =>
    client.call<Diagnostics & { stateMachineArn: string; creationDate: string }>("POST", "/state-machines", {
      name,
      definition,
      ...(values.type === undefined ? {} : { type: values.type }),
      ...(values["role-arn"] === undefined ? {} : { roleArn: values["role-arn"] }),
    }),
  );
  io.out(JSON.stringify({ stateMachineArn: created.stateMachineArn, creationDate: created.creationDate }));
  return 0;
}

export async function updateCommand(args: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: remoteOptions });
  const [name, file] = positionals;
  if (!name || !file || positionals.length > 2) throw new CliError("InvalidArguments", `usage: ${updateUsage}`);
  const definition = readText(file, "definition");
  const client = remoteClient(values);
  const updated = await reportingDiagnostics(io, () =>
    client.call<Diagnostics & { stateMachineArn: string; revisionId: string; updateDate: string }>(
      "PUT",
      `/state-machines/${encodeURIComponent(name)}`,
      { definition },
    ),
  );
  io.out(JSON.stringify({ stateMachineArn: updated.stateMachineArn, revisionId: updated.revisionId, updateDate: updated.updateDate }));
  return 0;
}

/** One state machine per line, every page. */
export async function listCommand(args: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: remoteOptions });
  if (positionals.length > 0) throw new CliError("InvalidArguments", `usage: ${listUsage}`);
  const client = remoteClient(values);
  let nextToken: string | undefined;
  do {
    const query = nextToken === undefined ? "" : `?nextToken=${encodeURIComponent(nextToken)}`;
    const page = await client.call<{ stateMachines: unknown[]; nextToken?: string }>("GET", `/state-machines${query}`);
    for (const machine of page.stateMachines) io.out(JSON.stringify(machine));
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return 0;
}
