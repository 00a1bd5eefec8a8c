import { pendingDeliveries } from "@stepwise/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsCli, awsCliCondition, awsCliFor } from "../aws/aws-cli-runner.ts";
import { type AwsTestServer, passMachine, startAwsTestServer } from "../aws/test-server.ts";

// The CLI is not a dependency of the project: this runs only where `aws` is on PATH.
describe.skipIf(awsCli === undefined)(`\`aws events\` against Stepwise (condition: aws on PATH; ${awsCliCondition})`, () => {
  let s: AwsTestServer;
  let machine: string;
  beforeAll(async () => {
    s = await startAwsTestServer({ worker: {} });
    machine = await s.t.createMachine(JSON.parse(passMachine()), "cli-events-target");
  });
  afterAll(() => s.close());

  const aws = (...args: string[]) => awsCliFor("events", s.endpoint, s.t.config.STEPWISE_REGION)(...args);

  it("puts a rule and its target, sends an event that starts the machine, and shows AWS's errors", async () => {
    const rule = await aws("put-rule", "--name", "deploys", "--event-pattern", '{"source":["ci"],"detail":{"env":[{"prefix":"prod"}]}}');
    expect(rule.stderr).toBe("");
    expect(rule.json.RuleArn).toMatch(/:rule\/deploys$/);
    const targets = await aws("put-targets", "--rule", "deploys", "--targets", JSON.stringify([{ Id: "run", Arn: machine }]));
    expect(targets.json).toEqual({ FailedEntryCount: 0, FailedEntries: [] });
    const put = await aws(
      "put-events",
      "--entries",
      JSON.stringify([{ Source: "ci", DetailType: "Deployed", Detail: '{"env":"prod-eu"}' }]),
    );
    expect(put.json.FailedEntryCount).toBe(0);
    const deadline = Date.now() + 10_000;
    while ((await pendingDeliveries(s.t.runtime.db)) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const executions = await awsCliFor("stepfunctions", s.endpoint, s.t.config.STEPWISE_REGION)(
      "list-executions",
      "--state-machine-arn",
      machine,
    );
    expect(executions.json.executions).toHaveLength(1);
    expect(executions.json.executions[0].name).toMatch(new RegExp(`^${put.json.Entries[0].EventId}-[0-9a-f]{10}$`));

    const tested = await aws(
      "test-event-pattern",
      "--event-pattern",
      '{"detail":{"env":[{"wildcard":"prod-*"}]}}',
      "--event",
      JSON.stringify({
        id: "1",
        account: "123456789012",
        source: "ci",
        time: "2026-03-01T00:00:00Z",
        region: "us-east-1",
        "detail-type": "Deployed",
        detail: { env: "prod-us" },
      }),
    );
    expect(tested.json).toEqual({ Result: true });
    const bad = await aws("put-rule", "--name", "bad", "--event-pattern", '{"source":[{"wildcard":"a**"}]}');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/InvalidEventPatternException.*Consecutive wildcard characters/);
  });
});
