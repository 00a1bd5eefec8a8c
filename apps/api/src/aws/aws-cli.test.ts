import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCESS_KEY_ID, type AwsTestServer, ROLE_ARN, SECRET_ACCESS_KEY, startAwsTestServer } from "./test-server.ts";

const run = promisify(execFile);

// The CLI is not a dependency of the project: this runs only where `aws` is on PATH.
const probe = spawnSync("aws", ["--version"], { encoding: "utf8" });
const awsCli = probe.status === 0 ? (probe.stdout || probe.stderr).trim() : undefined;
const condition = awsCli ? `found ${awsCli}` : "skipped: `aws --version` did not run (no aws CLI on PATH)";

describe.skipIf(awsCli === undefined)(`the AWS CLI against Stepwise (condition: aws on PATH; ${condition})`, () => {
  let s: AwsTestServer;
  beforeAll(async () => {
    s = await startAwsTestServer({ worker: { handlers: { double: (input) => ({ value: (input as { value: number }).value * 2 }) } } });
  });
  afterAll(() => s.close());

  const aws = async (...args: string[]) => {
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
      AWS_DEFAULT_REGION: "us-east-1",
      AWS_CONFIG_FILE: "/nonexistent",
      AWS_SHARED_CREDENTIALS_FILE: "/nonexistent",
      AWS_PAGER: "",
    };
    try {
      const { stdout } = await run("aws", ["stepfunctions", ...args, "--endpoint-url", s.endpoint, "--output", "json"], { env });
      return { code: 0, json: stdout.trim() === "" ? {} : JSON.parse(stdout), stderr: "" };
    } catch (error) {
      const failed = error as { code: number; stderr: string };
      return { code: failed.code, json: undefined, stderr: failed.stderr };
    }
  };

  it("creates a machine and runs an execution with `aws stepfunctions`", async () => {
    const definition = JSON.stringify({
      StartAt: "T",
      States: { T: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:double", End: true } },
    });
    const created = await aws("create-state-machine", "--name", "cli-machine", "--definition", definition, "--role-arn", ROLE_ARN);
    expect(created.code, created.stderr).toBe(0);
    expect(created.json.stateMachineArn).toBe("arn:aws:states:us-east-1:123456789012:stateMachine:cli-machine");
    const started = await aws(
      "start-execution",
      "--state-machine-arn",
      created.json.stateMachineArn,
      "--name",
      "cli-run",
      "--input",
      '{"value":4}',
    );
    expect(started.code, started.stderr).toBe(0);
    let described = await aws("describe-execution", "--execution-arn", started.json.executionArn);
    for (let i = 0; i < 100 && described.json?.status === "RUNNING"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      described = await aws("describe-execution", "--execution-arn", started.json.executionArn);
    }
    expect(described.json).toMatchObject({ status: "SUCCEEDED", name: "cli-run" });
    expect(JSON.parse(described.json.output)).toEqual({ value: 8 });
    const history = await aws("get-execution-history", "--execution-arn", started.json.executionArn, "--reverse-order", "--max-items", "1");
    expect(history.json.events[0].type).toBe("ExecutionSucceeded");
  });

  it("shows Step Functions errors by name", async () => {
    const missing = await aws("describe-state-machine", "--state-machine-arn", "arn:aws:states:us-east-1:123456789012:stateMachine:nope");
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("(StateMachineDoesNotExist)");
  });
});
