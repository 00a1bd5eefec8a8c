/**
 * A user of @aws-sdk/client-scheduler against Stepwise's whole API app (the Step Functions API, /v1 and
 * the console on the same port): groups, schedules, tags, errors as AWS answers them, scoped keys, and a
 * schedule that fires.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  CreateScheduleGroupCommand,
  DeleteScheduleCommand,
  DeleteScheduleGroupCommand,
  GetScheduleCommand,
  GetScheduleGroupCommand,
  ListScheduleGroupsCommand,
  ListSchedulesCommand,
  ListTagsForResourceCommand,
  SchedulerClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateScheduleCommand,
} from "@aws-sdk/client-scheduler";
import { ListStateMachinesCommand, SFNClient } from "@aws-sdk/client-sfn";
import { executions } from "@stepwise/storage";
import { createTestRuntime, type TestRuntime } from "@stepwise/testkit";
import { scheduleMetrics, startScheduleRunner } from "@stepwise/triggers";
import { eq } from "drizzle-orm";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiApp } from "../app.ts";
import { ACCESS_KEY_ID, passMachine, ROLE_ARN, rejection, SECRET_ACCESS_KEY } from "../aws/test-server.ts";
import { loadApiConfig } from "../config.ts";

const SCOPED_KEY = "AKIDORDERSTEAM";
const SCOPED_SECRET = "orders-secret";

describe("EventBridge Scheduler API with @aws-sdk/client-scheduler", () => {
  let t: TestRuntime;
  let server: Server;
  let client: SchedulerClient;
  let scoped: SchedulerClient;
  let sfn: SFNClient;
  let machine: string;
  let ordersMachine: string;

  beforeAll(async () => {
    t = await createTestRuntime();
    t.worker();
    const config = loadApiConfig({
      HOST: "127.0.0.1",
      STEPWISE_ACCESS_KEYS: `${ACCESS_KEY_ID}:${SECRET_ACCESS_KEY},${SCOPED_KEY}:${SCOPED_SECRET}`,
      STEPWISE_KEY_SCOPES: JSON.stringify({ [SCOPED_KEY]: { stateMachines: ["orders-*"] } }),
    });
    const app = createApiApp({ runtime: t.runtime, config, registry: new Registry() });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const region = t.config.STEPWISE_REGION;
    client = new SchedulerClient({
      endpoint,
      region,
      credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY },
      maxAttempts: 1,
    });
    scoped = new SchedulerClient({
      endpoint,
      region,
      credentials: { accessKeyId: SCOPED_KEY, secretAccessKey: SCOPED_SECRET },
      maxAttempts: 1,
    });
    sfn = new SFNClient({
      endpoint,
      region,
      credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY },
      maxAttempts: 1,
    });
    machine = await t.createMachine(JSON.parse(passMachine()), "reports-daily");
    ordersMachine = await t.createMachine(JSON.parse(passMachine()), "orders-nightly");
  });

  afterAll(async () => {
    for (const c of [client, scoped, sfn]) c.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  const schedule = (overrides: Partial<CreateScheduleCommandInput> = {}): CreateScheduleCommandInput => ({
    Name: "nightly",
    ScheduleExpression: "cron(0 2 * * ? *)",
    ScheduleExpressionTimezone: "Europe/Paris",
    FlexibleTimeWindow: { Mode: "OFF" },
    Target: { Arn: machine, RoleArn: ROLE_ARN, Input: '{"report":"daily"}' },
    ...overrides,
  });

  it("creates, reads, updates, lists and deletes schedules, beside the Step Functions API on the same port", async () => {
    const created = await client.send(new CreateScheduleCommand(schedule({ Description: "the nightly report" })));
    expect(created.ScheduleArn).toBe(
      `arn:aws:scheduler:${t.config.STEPWISE_REGION}:${t.config.STEPWISE_ACCOUNT_ID}:schedule/default/nightly`,
    );
    const got = await client.send(new GetScheduleCommand({ Name: "nightly" }));
    expect(got).toMatchObject({
      Name: "nightly",
      GroupName: "default",
      State: "ENABLED",
      ScheduleExpression: "cron(0 2 * * ? *)",
      ScheduleExpressionTimezone: "Europe/Paris",
      Description: "the nightly report",
      FlexibleTimeWindow: { Mode: "OFF" },
      ActionAfterCompletion: "NONE",
      Target: { Arn: machine, RoleArn: ROLE_ARN, Input: '{"report":"daily"}' },
    });
    expect(got.CreationDate).toBeInstanceOf(Date);

    await client.send(
      new UpdateScheduleCommand({ ...schedule(), State: "DISABLED", FlexibleTimeWindow: { Mode: "FLEXIBLE", MaximumWindowInMinutes: 15 } }),
    );
    const updated = await client.send(new GetScheduleCommand({ Name: "nightly", GroupName: "default" }));
    expect(updated).toMatchObject({ State: "DISABLED", FlexibleTimeWindow: { Mode: "FLEXIBLE", MaximumWindowInMinutes: 15 } });
    expect(updated.Description).toBeUndefined();

    for (const name of ["nightly-b", "nightly-c", "weekly"]) await client.send(new CreateScheduleCommand(schedule({ Name: name })));
    const first = await client.send(new ListSchedulesCommand({ NamePrefix: "nightly", MaxResults: 2 }));
    expect(first.Schedules?.map((s) => s.Name)).toEqual(["nightly", "nightly-b"]);
    const second = await client.send(new ListSchedulesCommand({ NamePrefix: "nightly", MaxResults: 2, NextToken: first.NextToken }));
    expect(second.Schedules?.map((s) => s.Name)).toEqual(["nightly-c"]);
    expect(second.NextToken).toBeUndefined();
    const disabled = await client.send(new ListSchedulesCommand({ State: "DISABLED" }));
    expect(disabled.Schedules?.map((s) => [s.Name, s.State, s.Target?.Arn])).toEqual([["nightly", "DISABLED", machine]]);

    await client.send(new DeleteScheduleCommand({ Name: "nightly" }));
    const gone = await rejection(client.send(new GetScheduleCommand({ Name: "nightly" })));
    expect([gone.name, gone.$metadata?.httpStatusCode, gone.message]).toEqual([
      "ResourceNotFoundException",
      404,
      "Schedule nightly does not exist.",
    ]);
    // The Step Functions API still answers on POST /.
    expect((await sfn.send(new ListStateMachinesCommand({}))).stateMachines?.length).toBe(2);
  });

  it("manages schedule groups and their tags; a group's schedules go with it", async () => {
    const { ScheduleGroupArn: arn } = await client.send(
      new CreateScheduleGroupCommand({ Name: "billing", Tags: [{ Key: "team", Value: "billing" }] }),
    );
    const duplicate = await rejection(client.send(new CreateScheduleGroupCommand({ Name: "billing" })));
    expect([duplicate.name, duplicate.$metadata?.httpStatusCode]).toEqual(["ConflictException", 409]);
    expect(await client.send(new GetScheduleGroupCommand({ Name: "billing" }))).toMatchObject({
      Arn: arn,
      Name: "billing",
      State: "ACTIVE",
    });
    const groups = await client.send(new ListScheduleGroupsCommand({}));
    expect(groups.ScheduleGroups?.map((g) => g.Name)).toEqual(["billing", "default"]);

    await client.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: "cost-center", Value: "42" }] }));
    await client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ["team"] }));
    expect((await client.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags).toEqual([{ Key: "cost-center", Value: "42" }]);

    await client.send(new CreateScheduleCommand(schedule({ Name: "invoices", GroupName: "billing" })));
    const clash = await rejection(client.send(new CreateScheduleCommand(schedule({ Name: "invoices", GroupName: "billing" }))));
    expect([clash.name, clash.$metadata?.httpStatusCode, clash.message]).toEqual([
      "ConflictException",
      409,
      "Schedule invoices already exists.",
    ]);
    expect((await client.send(new ListSchedulesCommand({ GroupName: "billing" }))).Schedules?.map((s) => s.Name)).toEqual(["invoices"]);
    await client.send(new DeleteScheduleGroupCommand({ Name: "billing" }));
    expect((await rejection(client.send(new GetScheduleCommand({ Name: "invoices", GroupName: "billing" })))).name).toBe(
      "ResourceNotFoundException",
    );
    const noGroup = await rejection(client.send(new CreateScheduleCommand(schedule({ Name: "x", GroupName: "billing" }))));
    expect([noGroup.name, noGroup.message]).toEqual(["ResourceNotFoundException", "Schedule group billing does not exist."]);
    const defaultGroup = await rejection(client.send(new DeleteScheduleGroupCommand({ Name: "default" })));
    expect(defaultGroup.name).toBe("ValidationException");
  });

  const BAD_INPUT: Array<[string, Partial<CreateScheduleCommandInput>, RegExp]> = [
    ["a malformed cron", { ScheduleExpression: "cron(0 2 * * * *)" }, /^ScheduleExpression: Invalid Schedule Expression/],
    ["a rate in weeks", { ScheduleExpression: "rate(2 weeks)" }, /^ScheduleExpression: /],
    ["an unknown zone", { ScheduleExpressionTimezone: "Europe/Atlantis" }, /^ScheduleExpressionTimezone: /],
    [
      "EndDate before StartDate",
      { StartDate: new Date(Date.now() + 7_200_000), EndDate: new Date(Date.now() + 3_600_000) },
      /^EndDate: must be after StartDate/,
    ],
    ["StartDate long past", { StartDate: new Date(Date.now() - 3_600_000) }, /^StartDate: /],
    ["a bad name", { Name: "no spaces" }, /^Name: /],
    ["a flexible window without its size", { FlexibleTimeWindow: { Mode: "FLEXIBLE" } }, /^FlexibleTimeWindow.MaximumWindowInMinutes: /],
    ["an unknown mode", { FlexibleTimeWindow: { Mode: "SOMETIMES" as "OFF" } }, /^FlexibleTimeWindow.Mode: must be one of OFF, FLEXIBLE/],
    ["an unknown state", { State: "PAUSED" as "ENABLED" }, /^State: /],
    ["an unknown completion action", { ActionAfterCompletion: "ARCHIVE" as "NONE" }, /^ActionAfterCompletion: /],
    [
      "a target that is not a state machine",
      { Target: { Arn: "arn:aws:sqs:us-east-1:123456789012:queue", RoleArn: ROLE_ARN } },
      /^Target.Arn: /,
    ],
    [
      "a target that does not exist",
      { Target: { Arn: "arn:aws:states:us-east-1:123456789012:stateMachine:nope", RoleArn: ROLE_ARN } },
      /^Target.Arn: the state machine .* does not exist/,
    ],
    [
      "an event age under a minute",
      { Target: { Arn: "x", RoleArn: ROLE_ARN, RetryPolicy: { MaximumEventAgeInSeconds: 10 } } },
      /^Target.RetryPolicy.MaximumEventAgeInSeconds: /,
    ],
    [
      "too many retries",
      { Target: { Arn: "x", RoleArn: ROLE_ARN, RetryPolicy: { MaximumRetryAttempts: 186 } } },
      /^Target.RetryPolicy.MaximumRetryAttempts: /,
    ],
    [
      "another service's target",
      { Target: { Arn: "x", RoleArn: ROLE_ARN, SqsParameters: { MessageGroupId: "g" } } },
      /^Target.SqsParameters: /,
    ],
    [
      "a templated target without a machine",
      { Target: { Arn: "arn:aws:scheduler:::aws-sdk:sfn:startExecution", RoleArn: ROLE_ARN, Input: "{}" } },
      /^Target.Input: /,
    ],
  ];
  it.each(BAD_INPUT)("refuses %s with a ValidationException naming the field", async (_what, overrides, message) => {
    const error = await rejection(client.send(new CreateScheduleCommand(schedule({ Name: "bad", ...overrides }))));
    expect([error.name, error.$metadata?.httpStatusCode]).toEqual(["ValidationException", 400]);
    expect(error.message).toMatch(message);
  });

  it("a scoped key schedules only machines in its scope, and sees only those schedules", async () => {
    await scoped.send(new CreateScheduleCommand(schedule({ Name: "orders-sweep", Target: { Arn: ordersMachine, RoleArn: ROLE_ARN } })));
    const outside = await rejection(scoped.send(new CreateScheduleCommand(schedule({ Name: "sneaky" }))));
    expect([outside.name, outside.$metadata?.httpStatusCode]).toEqual(["AccessDeniedException", 403]);
    const templated = await rejection(
      scoped.send(
        new CreateScheduleCommand(
          schedule({
            Name: "sneaky",
            Target: {
              Arn: "arn:aws:scheduler:::aws-sdk:sfn:startExecution",
              RoleArn: ROLE_ARN,
              Input: JSON.stringify({ StateMachineArn: machine }),
            },
          }),
        ),
      ),
    );
    expect(templated.name).toBe("AccessDeniedException");
    await client.send(new CreateScheduleCommand(schedule({ Name: "reports-only" })));
    const seen = await scoped.send(new ListSchedulesCommand({}));
    expect(seen.Schedules?.map((s) => s.Name)).toEqual(["orders-sweep"]);
    expect((await rejection(scoped.send(new DeleteScheduleCommand({ Name: "reports-only" })))).name).toBe("AccessDeniedException");
    expect((await rejection(scoped.send(new CreateScheduleGroupCommand({ Name: "mine" })))).name).toBe("AccessDeniedException");
  });

  it("a one-time schedule through the templated StartExecution target fires once and, with DELETE, disappears", async () => {
    const runner = startScheduleRunner(t.runtime, { observer: scheduleMetrics(new Registry()), pollMs: 50 });
    try {
      const at = new Date(Date.now() + 1000).toISOString().slice(0, 19);
      await client.send(
        new CreateScheduleCommand({
          Name: "one-shot",
          ScheduleExpression: `at(${at})`,
          FlexibleTimeWindow: { Mode: "OFF" },
          ActionAfterCompletion: "DELETE",
          Target: {
            Arn: "arn:aws:scheduler:::aws-sdk:sfn:startExecution",
            RoleArn: ROLE_ARN,
            Input: JSON.stringify({
              StateMachineArn: ordersMachine,
              Input: JSON.stringify({ scheduled: "<aws.scheduler.scheduled-time>" }),
            }),
          },
        }),
      );
      const deadline = Date.now() + 15_000;
      while (
        (await rejection(client.send(new GetScheduleCommand({ Name: "one-shot" })).then(() => undefined)).catch(() => undefined)) ===
        undefined
      ) {
        if (Date.now() > deadline) throw new Error("the one-time schedule never completed");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const started = await t.runtime.db.select().from(executions).where(eq(executions.stateMachineArn, ordersMachine));
      expect(started).toHaveLength(1);
      expect(JSON.parse(started[0]?.input ?? "")).toEqual({ scheduled: `${at}Z` });
    } finally {
      await runner.close();
    }
  });
});
