/** `--endpoint` and `--token`, shared by every command that talks to a Stepwise server. */
import { CliError } from "../../cli-error.ts";
import { RestClient } from "./rest-client.ts";

export const DEFAULT_ENDPOINT = "http://127.0.0.1:8080";

export const remoteOptions = {
  endpoint: { type: "string" },
  token: { type: "string" },
} as const;

export const remoteUsage = "[--endpoint URL] [--token TOKEN]";

/** Flags win over STEPWISE_ENDPOINT / STEPWISE_TOKEN. */
export function remoteClient(values: { endpoint?: string; token?: string }, env: NodeJS.ProcessEnv = process.env): RestClient {
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
