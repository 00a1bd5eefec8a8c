import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCESS_KEY_ID, type AwsTestServer, passMachine, ROLE_ARN, SECRET_ACCESS_KEY, startAwsTestServer } from "../aws/test-server.ts";

const run = promisify(execFile);

// The CLI is not a dependency of the project: this runs only where `aws` is on PATH.
const probe = spawnSync("aws", ["--version"], { encoding: "utf8" });
const awsCli = probe.status === 0 ? (probe.stdout || probe.stderr).trim() : undefined;
const condition = awsCli ? `found ${awsCli}` : "skipped: `aws --version` did not run (no aws CLI on PATH)";

describe.skipIf(awsCli === undefined)(`\`aws scheduler\` against Stepwise (condition: aws on PATH; ${condition})`, () => {
  let s: AwsTestServer;
  let machine: string;
  beforeAll(async () => {
    s = await startAwsTestServer();
    machine = await s.t.createMachine(JSON.parse(passMachine()), "cli-target");
  });
  afterAll(() => s.close());

  const aws = async (...args: string[]) => {
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
      AWS_DEFAULT_REGION: s.t.config.STEPWISE_REGION,
      AWS_CONFIG_FILE: "/nonexistent",
      AWS_SHARED_CREDENTIALS_FILE: "/nonexistent",
      AWS_PAGER: "",
    };
    try {
      const { stdout } = await run("aws", ["scheduler", ...args, "--endpoint-url", s.endpoint, "--output", "json"], { env });
      return { code: 0, json: stdout.trim() === "" ? {} : JSON.parse(stdout), stderr: "" };
    } catch (error) {
      const failed = error as { code: number; stderr: string };
      return { code: failed.code, json: undefined, stderr: failed.stderr };
    }
  };

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
