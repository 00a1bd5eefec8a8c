/** `--endpoint` and `--token`, shared by every command that talks to a Stepwise server. */
import { z } from "zod";
import { CliError } from "../../cli-error.ts";
import { RestClient } from "./rest-client.ts";

export const DEFAULT_ENDPOINT = "http://127.0.0.1:8080";

export const remoteOptions = {
  endpoint: { type: "string" },
  token: { type: "string" },
} as const;

export const remoteUsage = "[--endpoint URL] [--token TOKEN]";

/** The variables of `stepwise` commands that talk to a server; `--endpoint` and `--token` win over them. */
export const cliEnvSchema = z.object({
  STEPWISE_ENDPOINT: z.string().optional().describe(`The Stepwise server remote commands talk to (default ${DEFAULT_ENDPOINT}).`),
  STEPWISE_TOKEN: z.string().optional().describe("The bearer token remote commands send (one of the server's `STEPWISE_API_TOKENS`)."),
});

/** Flags win over STEPWISE_ENDPOINT / STEPWISE_TOKEN; an empty variable counts as unset. */
export function remoteClient(values: { endpoint?: string; token?: string }, processEnv: NodeJS.ProcessEnv = process.env): RestClient {
  const env = cliEnvSchema.parse(processEnv);
  const endpoint = values.endpoint ?? (env.STEPWISE_ENDPOINT || DEFAULT_ENDPOINT);
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new CliError("InvalidArguments", `--endpoint must be an http(s) URL, got '${endpoint}'`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new CliError("InvalidArguments", `--endpoint must be an http(s) URL, got '${endpoint}'`);
  return new RestClient(endpoint, values.token ?? (env.STEPWISE_TOKEN || undefined));
}
