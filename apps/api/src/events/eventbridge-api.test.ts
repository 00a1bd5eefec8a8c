/**
 * A user of @aws-sdk/client-eventbridge against Stepwise's AWS APIs on one port: buses, rules and targets,
 * events that start state machines (the event as EventBridge delivers it, or transformed), AWS's errors,
 * and scoped keys.
 */
import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  EventBridgeClient,
  ListEventBusesCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  TestEventPatternCommand,
} from "@aws-sdk/client-eventbridge";
import { DescribeExecutionCommand, ListExecutionsCommand } from "@aws-sdk/client-sfn";
import { pendingDeliveries } from "@stepwise/storage";
import { deliveryExecutionName } from "@stepwise/triggers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCESS_KEY_ID, type AwsTestServer, passMachine, rejection, SECRET_ACCESS_KEY, startAwsTestServer } from "../aws/test-server.ts";

const SCOPED_KEY = "AKIDORDERSTEAM";
const SCOPED_SECRET = "orders-secret";

describe("EventBridge API with @aws-sdk/client-eventbridge", () => {
  let s: AwsTestServer;
  let events: EventBridgeClient;
  let scoped: EventBridgeClient;
  let fulfil: string;
  let audit: string;
  let ordersMachine: string;

  beforeAll(async () => {
    s = await startAwsTestServer({
      worker: {},
      apiEnv: {
        STEPWISE_ACCESS_KEYS: `${ACCESS_KEY_ID}:${SECRET_ACCESS_KEY},${SCOPED_KEY}:${SCOPED_SECRET}`,
        STEPWISE_KEY_SCOPES: JSON.stringify({ [SCOPED_KEY]: { stateMachines: ["orders-*"] } }),
      },
    });
    const client = (accessKeyId: string, secretAccessKey: string) =>
      new EventBridgeClient({
        endpoint: s.endpoint,
        region: s.t.config.STEPWISE_REGION,
        credentials: { accessKeyId, secretAccessKey },
        maxAttempts: 1,
      });
    events = client(ACCESS_KEY_ID, SECRET_ACCESS_KEY);
    scoped = client(SCOPED_KEY, SCOPED_SECRET);
    fulfil = await s.t.createMachine(JSON.parse(passMachine()), "fulfil-order");
    audit = await s.t.createMachine(JSON.parse(passMachine()), "audit");
    ordersMachine = await s.t.createMachine(JSON.parse(passMachine()), "orders-archive");
  });
  afterAll(async () => {
    events.destroy();
    scoped.destroy();
    await s.close();
  });

  /** The executions of a machine, with their inputs, once every accepted event's delivery is done. */
  const executionsOf = async (machineArn: string) => {
    const deadline = Date.now() + 15_000;
    while ((await pendingDeliveries(s.t.runtime.db)) > 0) {
      if (Date.now() > deadline) throw new Error("deliveries still pending");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const listed = await s.client.send(new ListExecutionsCommand({ stateMachineArn: machineArn }));
    return Promise.all(
      (listed.executions ?? []).map(async (e) => {
        const described = await s.client.send(new DescribeExecutionCommand({ executionArn: e.executionArn }));
        return { name: described.name as string, input: JSON.parse(described.input ?? "null") };
      }),
    );
  };

  it("an order event on a custom bus starts the rule's state machines, with the event as EventBridge delivers it", async () => {
    const buses = await events.send(new ListEventBusesCommand({}));
    expect(buses.EventBuses?.map((b) => b.Name)).toEqual(["default"]);
    const created = await events.send(new CreateEventBusCommand({ Name: "orders", Description: "order lifecycle" }));
    const region = s.t.config.STEPWISE_REGION;
    const account = s.t.config.STEPWISE_ACCOUNT_ID;
    expect(created.EventBusArn).toBe(`arn:aws:events:${region}:${account}:event-bus/orders`);
    expect(await events.send(new DescribeEventBusCommand({ Name: "orders" }))).toMatchObject({
      Name: "orders",
      Description: "order lifecycle",
    });

    const pattern = JSON.stringify({
      source: ["shop.orders"],
      "detail-type": ["OrderPlaced"],
      detail: { total: [{ numeric: [">=", 100] }] },
    });
    const rule = await events.send(new PutRuleCommand({ Name: "big-orders", EventBusName: "orders", EventPattern: pattern }));
    expect(rule.RuleArn).toBe(`arn:aws:events:${region}:${account}:rule/orders/big-orders`);
    await events.send(
      new PutTargetsCommand({
        Rule: "big-orders",
        EventBusName: "orders",
        Targets: [
          { Id: "fulfil", Arn: fulfil },
          {
            Id: "audit",
            Arn: audit,
            InputTransformer: {
              InputPathsMap: { order: "$.detail.id", total: "$.detail.total" },
              InputTemplate: '{"order": <order>, "total": <total>, "note": "order <order> by <aws.events.rule-name>"}',
            },
          },
        ],
      }),
    );
    expect(
      (await events.send(new ListTargetsByRuleCommand({ Rule: "big-orders", EventBusName: "orders" }))).Targets?.map((t) => t.Id),
    ).toEqual(["fulfil", "audit"]);
    expect(await events.send(new DescribeRuleCommand({ Name: "big-orders", EventBusName: "orders" }))).toMatchObject({
      Name: "big-orders",
      EventPattern: pattern,
      State: "ENABLED",
      EventBusName: "orders",
    });

    const put = await events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: "orders",
            Source: "shop.orders",
            DetailType: "OrderPlaced",
            Detail: JSON.stringify({ id: "o-1", total: 250 }),
            Resources: ["arn:aws:shop:::order/o-1"],
            Time: new Date("2026-03-01T12:00:00Z"),
          },
          { EventBusName: "orders", Source: "shop.orders", DetailType: "OrderPlaced", Detail: JSON.stringify({ id: "o-2", total: 20 }) },
          { EventBusName: "orders", Source: "shop.orders", Detail: "{}" },
          { EventBusName: "orders", Source: "shop.orders", DetailType: "OrderPlaced", Detail: "[1, 2]" },
          { EventBusName: "orders", Source: "aws.ec2", DetailType: "OrderPlaced", Detail: "{}" },
          { EventBusName: "nowhere", Source: "shop.orders", DetailType: "OrderPlaced", Detail: "{}" },
        ],
      }),
    );
    expect(put.FailedEntryCount).toBe(4);
    const [big, small, noType, notObject, awsSource, noBus] = put.Entries ?? [];
    expect(big?.EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(small?.EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(noType).toEqual({
      ErrorCode: "InvalidArgument",
      ErrorMessage: "Parameter DetailType is not valid. Reason: DetailType is a required argument.",
    });
    expect(notObject).toEqual({ ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." });
    expect(awsSource).toEqual({ ErrorCode: "NotAuthorizedForSourceException", ErrorMessage: "Not authorized for the source." });
    expect(noBus).toEqual({ ErrorCode: "ResourceNotFoundException", ErrorMessage: "Event bus nowhere does not exist." });

    const eventId = big?.EventId as string;
    // The small order matched nothing: one execution each.
    const fulfilled = await executionsOf(fulfil);
    expect(fulfilled).toHaveLength(1);
    expect(fulfilled[0]?.name).toBe(deliveryExecutionName(eventId, rule.RuleArn as string, "fulfil"));
    expect(fulfilled[0]?.input).toEqual({
      version: "0",
      id: eventId,
      "detail-type": "OrderPlaced",
      source: "shop.orders",
      account,
      time: "2026-03-01T12:00:00Z",
      region,
      resources: ["arn:aws:shop:::order/o-1"],
      detail: { id: "o-1", total: 250 },
    });
    expect((await executionsOf(audit)).map((e) => e.input)).toEqual([{ order: "o-1", total: 250, note: "order o-1 by big-orders" }]);
  });

  it("a disabled rule starts nothing until it is enabled again; Input and InputPath shape what a target gets", async () => {
    await events.send(
      new PutRuleCommand({ Name: "signups", EventPattern: JSON.stringify({ source: [{ prefix: "app." }] }), State: "DISABLED" }),
    );
    const machine = await s.t.createMachine(JSON.parse(passMachine()), "welcome");
    const constant = await s.t.createMachine(JSON.parse(passMachine()), "count-signups");
    await events.send(
      new PutTargetsCommand({
        Rule: "signups",
        Targets: [
          { Id: "welcome", Arn: machine, InputPath: "$.detail.user" },
          { Id: "count", Arn: constant, Input: '{"counter":"signups"}' },
        ],
      }),
    );
    const signup = (user: string) => ({ Source: "app.accounts", DetailType: "SignedUp", Detail: JSON.stringify({ user: { name: user } }) });
    await events.send(new PutEventsCommand({ Entries: [signup("ada")] }));
    await events.send(new EnableRuleCommand({ Name: "signups" }));
    await events.send(new PutEventsCommand({ Entries: [signup("grace")] }));
    expect((await executionsOf(machine)).map((e) => e.input)).toEqual([{ name: "grace" }]);
    expect((await executionsOf(constant)).map((e) => e.input)).toEqual([{ counter: "signups" }]);
    await events.send(new DisableRuleCommand({ Name: "signups" }));
    expect((await events.send(new ListRulesCommand({ NamePrefix: "sign" }))).Rules?.map((r) => [r.Name, r.State])).toEqual([
      ["signups", "DISABLED"],
    ]);
  });

  it("TestEventPattern answers whether a pattern matches an event", async () => {
    const event = JSON.stringify({
      id: "1",
      account: "123456789012",
      source: "shop.orders",
      time: "2026-03-01T12:00:00Z",
      region: "us-east-1",
      "detail-type": "OrderPlaced",
      resources: [],
      detail: { total: 250, country: "FR" },
    });
    const test = async (pattern: unknown) =>
      (await events.send(new TestEventPatternCommand({ EventPattern: JSON.stringify(pattern), Event: event }))).Result;
    expect(await test({ detail: { country: [{ "anything-but": ["US", "CA"] }] } })).toBe(true);
    expect(await test({ detail: { total: [{ numeric: ["<", 100] }] } })).toBe(false);
    const bad = await rejection(
      events.send(new TestEventPatternCommand({ EventPattern: '{"detail":{"total":[{"numeric":["<"]}]}}', Event: event })),
    );
    expect(bad.name).toBe("InvalidEventPatternException");
    const noId = await rejection(events.send(new TestEventPatternCommand({ EventPattern: '{"source":["x"]}', Event: "{}" })));
    expect(noId.name).toBe("ValidationException");
    expect(noId.message).toMatch(/Event is not valid: the field 'id' is missing/);
  });

  it("refuses what AWS refuses, naming the field", async () => {
    const invalidPattern = await rejection(events.send(new PutRuleCommand({ Name: "bad", EventPattern: '{"source":"shop"}' })));
    expect(invalidPattern.name).toBe("InvalidEventPatternException");
    expect(invalidPattern.message).toBe('Event pattern is not valid. Reason: "source" must be an object or an array');
    const scheduled = await rejection(events.send(new PutRuleCommand({ Name: "cron", ScheduleExpression: "rate(5 minutes)" })));
    expect(scheduled.message).toMatch(/^ScheduleExpression: .*CreateSchedule/);
    const noRule = await rejection(events.send(new DescribeRuleCommand({ Name: "missing" })));
    expect(noRule.name).toBe("ResourceNotFoundException");
    expect(noRule.message).toBe("Rule missing does not exist on EventBus default.");
    await events.send(new PutRuleCommand({ Name: "targets-checked", EventPattern: '{"source":["x"]}' }));
    const lambda = await rejection(
      events.send(
        new PutTargetsCommand({ Rule: "targets-checked", Targets: [{ Id: "l", Arn: "arn:aws:lambda:us-east-1:123456789012:function:f" }] }),
      ),
    );
    expect(lambda.message).toMatch(/^Targets\[0\]\.Arn: .* is not a Stepwise state machine/);
    const gone = await rejection(
      events.send(new PutTargetsCommand({ Rule: "targets-checked", Targets: [{ Id: "g", Arn: `${fulfil}-gone` }] })),
    );
    expect(gone.message).toMatch(/^Targets\[0\]\.Arn: the state machine .* does not exist/);
    const twoInputs = await rejection(
      events.send(
        new PutTargetsCommand({ Rule: "targets-checked", Targets: [{ Id: "t", Arn: fulfil, Input: "{}", InputPath: "$.detail" }] }),
      ),
    );
    expect(twoInputs.message).toMatch(/Only one of Input, InputPath, or InputTransformer/);
    const notJson = await rejection(
      events.send(new PutTargetsCommand({ Rule: "targets-checked", Targets: [{ Id: "t", Arn: fulfil, Input: "{" }] })),
    );
    expect(notJson.message).toBe("Targets[0].Input: must be valid JSON text");
    const six = Array.from({ length: 6 }, (_, i) => ({ Id: `t${i}`, Arn: fulfil }));
    expect((await rejection(events.send(new PutTargetsCommand({ Rule: "targets-checked", Targets: six })))).name).toBe(
      "LimitExceededException",
    );
    const tooMany = await rejection(
      events.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => ({ Source: "s", DetailType: "d", Detail: "{}" })) })),
    );
    expect(tooMany.name).toBe("ValidationException");
    const big = await rejection(
      events.send(
        new PutEventsCommand({ Entries: [{ Source: "s", DetailType: "d", Detail: JSON.stringify({ blob: "x".repeat(262_144) }) }] }),
      ),
    );
    expect(big.name).toBe("ValidationException");
    expect(big.message).toMatch(/Total size of the entries in the request is over the limit/);
    expect((await rejection(events.send(new DeleteEventBusCommand({ Name: "default" })))).message).toBe("Cannot delete event bus default.");
    expect((await rejection(events.send(new CreateEventBusCommand({ Name: "orders" })))).name).toBe("ResourceAlreadyExistsException");
  });

  it("a rule with targets is deleted after its targets; its bus goes with it", async () => {
    await events.send(new CreateEventBusCommand({ Name: "short-lived" }));
    await events.send(new PutRuleCommand({ Name: "r", EventBusName: "short-lived", EventPattern: '{"source":["x"]}' }));
    await events.send(new PutTargetsCommand({ Rule: "r", EventBusName: "short-lived", Targets: [{ Id: "t", Arn: fulfil }] }));
    const withTargets = await rejection(events.send(new DeleteRuleCommand({ Name: "r", EventBusName: "short-lived" })));
    expect(withTargets.message).toBe("Rule can't be deleted since it has targets.");
    await events.send(new RemoveTargetsCommand({ Rule: "r", EventBusName: "short-lived", Ids: ["t"] }));
    await events.send(new DeleteRuleCommand({ Name: "r", EventBusName: "short-lived" }));
    expect((await rejection(events.send(new DescribeRuleCommand({ Name: "r", EventBusName: "short-lived" })))).name).toBe(
      "ResourceNotFoundException",
    );
    await events.send(new DeleteEventBusCommand({ Name: "short-lived" }));
    expect((await rejection(events.send(new DescribeEventBusCommand({ Name: "short-lived" })))).name).toBe("ResourceNotFoundException");
  });

  it("a scoped key targets only machines in its scope, and sees and changes only rules whose targets all are", async () => {
    await scoped.send(new PutRuleCommand({ Name: "orders-archive", EventPattern: '{"source":["shop.orders"]}' }));
    await scoped.send(new PutTargetsCommand({ Rule: "orders-archive", Targets: [{ Id: "archive", Arn: ordersMachine }] }));
    const outside = await rejection(scoped.send(new PutTargetsCommand({ Rule: "orders-archive", Targets: [{ Id: "f", Arn: fulfil }] })));
    expect(outside.name).toBe("AccessDeniedException");
    const otherRule = await rejection(scoped.send(new DescribeRuleCommand({ Name: "big-orders", EventBusName: "orders" })));
    expect(otherRule.name).toBe("AccessDeniedException");
    const visible = (await scoped.send(new ListRulesCommand({ EventBusName: "orders" }))).Rules ?? [];
    expect(visible).toEqual([]);
    expect((await rejection(scoped.send(new CreateEventBusCommand({ Name: "mine" })))).name).toBe("AccessDeniedException");
  });
});
