/**
 * For the AWS CLI tests: whether `aws` is on PATH (it is not a dependency of the project), and a runner of
 * `aws <service> …` against a test server, signed with its test credentials and nothing from the host.
 */
import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { ACCESS_KEY_ID, SECRET_ACCESS_KEY } from "./test-server.ts";

const run = promisify(execFile);

const probe = spawnSync("aws", ["--version"], { encoding: "utf8" });
/** The CLI's version line, or undefined where it does not run. */
export const awsCli = probe.status === 0 ? (probe.stdout || probe.stderr).trim() : undefined;
export const awsCliCondition = awsCli ? `found ${awsCli}` : "skipped: `aws --version` did not run (no aws CLI on PATH)";

export interface AwsCliResult {
  code: number;
  // biome-ignore lint/suspicious/noExplicitAny: the CLI's JSON output, read by each test as it expects
  json: any;
  stderr: string;
}

export function awsCliFor(service: string, endpoint: string, region = "us-east-1") {
  return async (...args: string[]): Promise<AwsCliResult> => {
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
      AWS_DEFAULT_REGION: region,
      AWS_CONFIG_FILE: "/nonexistent",
      AWS_SHARED_CREDENTIALS_FILE: "/nonexistent",
      AWS_PAGER: "",
    };
    try {
      const { stdout } = await run("aws", [service, ...args, "--endpoint-url", endpoint, "--output", "json"], { env });
      return { code: 0, json: stdout.trim() === "" ? {} : JSON.parse(stdout), stderr: "" };
    } catch (error) {
      const failed = error as { code: number; stderr: string };
      return { code: failed.code, json: undefined, stderr: failed.stderr };
    }
  };
}
