import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsCli, awsCliCondition, awsCliFor } from "./aws-cli-runner.ts";
import { type AwsTestServer, ROLE_ARN, startAwsTestServer } from "./test-server.ts";

// The CLI is not a dependency of the project: this runs only where `aws` is on PATH.
describe.skipIf(awsCli === undefined)(`the AWS CLI against Stepwise (condition: aws on PATH; ${awsCliCondition})`, () => {
  let s: AwsTestServer;
  beforeAll(async () => {
    s = await startAwsTestServer({ worker: { handlers: { double: (input) => ({ value: (input as { value: number }).value * 2 }) } } });
  });
  afterAll(() => s.close());

  const aws = (...args: string[]) => awsCliFor("stepfunctions", s.endpoint, "us-east-1")(...args);

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
