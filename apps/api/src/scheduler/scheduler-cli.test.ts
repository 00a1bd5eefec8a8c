import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsCli, awsCliCondition, awsCliFor } from "../aws/aws-cli-runner.ts";
import { type AwsTestServer, passMachine, ROLE_ARN, startAwsTestServer } from "../aws/test-server.ts";

// The CLI is not a dependency of the project: this runs only where `aws` is on PATH.
describe.skipIf(awsCli === undefined)(`\`aws scheduler\` against Stepwise (condition: aws on PATH; ${awsCliCondition})`, () => {
  let s: AwsTestServer;
  let machine: string;
  beforeAll(async () => {
    s = await startAwsTestServer();
    machine = await s.t.createMachine(JSON.parse(passMachine()), "cli-target");
  });
  afterAll(() => s.close());

  const aws = (...args: string[]) => awsCliFor("scheduler", s.endpoint, s.t.config.STEPWISE_REGION)(...args);

  it("creates, lists and deletes a schedule, and shows AWS's errors", async () => {
    const target = JSON.stringify({ Arn: machine, RoleArn: ROLE_ARN });
    const created = await aws(
      "create-schedule",
      "--name",
      "every-5-min",
      "--schedule-expression",
      "rate(5 minutes)",
      "--flexible-time-window",
      '{"Mode":"OFF"}',
      "--target",
      target,
      "--start-date",
      new Date(Date.now() + 3_600_000).toISOString(),
    );
    expect(created.stderr).toBe("");
    expect(created.json.ScheduleArn).toMatch(/:schedule\/default\/every-5-min$/);
    const listed = await aws("list-schedules", "--name-prefix", "every");
    expect(listed.json.Schedules.map((x: { Name: string }) => x.Name)).toEqual(["every-5-min"]);
    const bad = await aws(
      "create-schedule",
      "--name",
      "bad",
      "--schedule-expression",
      "cron(0 2 * * * *)",
      "--flexible-time-window",
      '{"Mode":"OFF"}',
      "--target",
      target,
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/ValidationException.*ScheduleExpression: Invalid Schedule Expression/);
    expect((await aws("delete-schedule", "--name", "every-5-min")).code).toBe(0);
    const gone = await aws("get-schedule", "--name", "every-5-min");
    expect(gone.stderr).toMatch(/ResourceNotFoundException.*Schedule every-5-min does not exist/);
  });
});
