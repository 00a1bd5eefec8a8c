/**
 * A state machine that emits events itself, through `arn:aws:states:::events:putEvents`: the event lands
 * on this server's bus (the API's PutEvents path, so the bus's rules start other machines), with the
 * request and response AWS documents; with `.waitForTaskToken` the machine a rule started hands the result
 * back with SendTaskSuccess (a task handler calling this server's API with @aws-sdk/client-sfn). With an
 * external EventBridge endpoint configured (here a second Stepwise server, in another account), entries
 * for buses of this server stay here and the others go there through @aws-sdk/client-eventbridge.
 */
import {
  CreateEventBusCommand,
  EventBridgeClient,
  type EventBridgeClientConfig,
  PutRuleCommand,
  PutTargetsCommand,
} from "@aws-sdk/client-eventbridge";
import { DescribeExecutionCommand, ListExecutionsCommand, SendTaskSuccessCommand } from "@aws-sdk/client-sfn";
import type { JsonObject } from "@stepwise/asl";
import { awsIntegrationHandler, loadIntegrationsConfig } from "@stepwise/integrations";
import { AWS_INTEGRATION_HANDLER, type TaskHandler } from "@stepwise/runtime";
import { pendingDeliveries } from "@stepwise/storage";
import { deliveryExecutionName, eventMetrics, localEventBus } from "@stepwise/triggers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCESS_KEY_ID, type AwsTestServer, passMachine, SECRET_ACCESS_KEY, startAwsTestServer } from "../aws/test-server.ts";

const OTHER_ACCOUNT = "210987654321";

function eventsClient(s: AwsTestServer, overrides: Partial<EventBridgeClientConfig> = {}) {
  return new EventBridgeClient({
    endpoint: s.endpoint,
    region: s.t.config.STEPWISE_REGION,
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY },
    maxAttempts: 1,
    ...overrides,
  });
}

/** Starts a worker on `s` whose integration handler has `s`'s buses and the given AWS variables. */
function startWorker(s: AwsTestServer, env: Record<string, string>, handlers: Record<string, TaskHandler> = {}) {
  const handler = awsIntegrationHandler(
    loadIntegrationsConfig({
      AWS_REGION: s.t.config.STEPWISE_REGION,
      AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
      AWS_MAX_ATTEMPTS: "1",
      ...env,
    }),
    { eventBus: localEventBus(s.t.runtime, eventMetrics(s.registry)) },
  );
  s.t.worker({ handlers: { [AWS_INTEGRATION_HANDLER]: handler, ...handlers } });
  s.t.scheduler();
  return handler;
}

/** The executions of a machine once every accepted event's delivery is done, with their inputs. */
async function executionsOf(s: AwsTestServer, machineArn: string, atLeast = 1) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const listed = await s.client.send(new ListExecutionsCommand({ stateMachineArn: machineArn }));
    const idle = (await pendingDeliveries(s.t.runtime.db)) === 0;
    if (idle && (listed.executions?.length ?? 0) >= atLeast) {
      return Promise.all(
        (listed.executions ?? []).map(async (e) => {
          const d = await s.client.send(new DescribeExecutionCommand({ executionArn: e.executionArn }));
          return { name: d.name as string, status: d.status, input: JSON.parse(d.input ?? "null") };
        }),
      );
    }
    if (Date.now() > deadline) throw new Error(`${machineArn}: no execution after 15 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const putEvents = (entries: JsonObject[], rest: object = { End: true }, resource = "arn:aws:states:::events:putEvents") => ({
  Type: "Task" as const,
  Resource: resource,
  Parameters: { Entries: entries },
  ...rest,
});

describe("events:putEvents onto this server's own event bus", () => {
  let s: AwsTestServer;
  let events: EventBridgeClient;
  let handler: ReturnType<typeof awsIntegrationHandler>;

  beforeAll(async () => {
    s = await startAwsTestServer();
    events = eventsClient(s);
    // No EventBridge endpoint is configured, and no service enabled: events go to this server's buses.
    handler = startWorker(
      s,
      {},
      {
        // The payment service's side of the callback: SendTaskSuccess with the token the event carried.
        "reply-payment": async (input) => {
          const { token, receipt } = input as { token: string; receipt: string };
          await s.client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ receipt }) }));
          return { replied: true };
        },
      },
    );
    await events.send(new CreateEventBusCommand({ Name: "checkout" }));
  });
  afterAll(async () => {
    events?.destroy();
    handler?.close();
    await s?.close();
  });

  it("a checkout machine puts an OrderPlaced event; the bus's rule starts fulfilment with the event as EventBridge delivers it", async () => {
    const fulfil = await s.t.createMachine(JSON.parse(passMachine()), "fulfil-order");
    await events.send(
      new PutRuleCommand({
        Name: "orders-to-fulfil",
        EventBusName: "checkout",
        EventPattern: JSON.stringify({ source: ["shop.checkout"], "detail-type": ["OrderPlaced"] }),
      }),
    );
    await events.send(
      new PutTargetsCommand({ Rule: "orders-to-fulfil", EventBusName: "checkout", Targets: [{ Id: "fulfil", Arn: fulfil }] }),
    );
    const checkout = await s.t.createMachine(
      {
        StartAt: "Announce",
        States: {
          Announce: putEvents([
            {
              EventBusName: "checkout",
              Source: "shop.checkout",
              DetailType: "OrderPlaced",
              "Detail.$": "$.order",
              Resources: ["arn:aws:shop:::order/o-7"],
            },
          ]),
        },
      },
      "checkout",
    );

    const { execution } = await s.t.run(checkout, { order: { id: "o-7", total: 42 } });
    expect(execution.status).toBe("SUCCEEDED");
    const output = JSON.parse(execution.output as string);
    // PutEvents' response, as AWS's optimized integration returns it: no HTTP metadata.
    expect(output).toEqual({ Entries: [{ EventId: expect.any(String) }], FailedEntryCount: 0 });
    const eventId = output.Entries[0].EventId as string;

    const [started] = await executionsOf(s, fulfil);
    const ruleArn = `arn:aws:events:${s.t.config.STEPWISE_REGION}:${s.t.config.STEPWISE_ACCOUNT_ID}:rule/checkout/orders-to-fulfil`;
    expect(started?.name).toBe(deliveryExecutionName(eventId, ruleArn, "fulfil"));
    expect(started?.input).toEqual({
      version: "0",
      id: eventId,
      "detail-type": "OrderPlaced",
      source: "shop.checkout",
      account: s.t.config.STEPWISE_ACCOUNT_ID,
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      region: s.t.config.STEPWISE_REGION,
      // The entry's own resources, then the state machine's and the execution's ARNs, as AWS appends them.
      resources: ["arn:aws:shop:::order/o-7", checkout, execution.arn],
      detail: { id: "o-7", total: 42 },
    });
  });

  it("with .waitForTaskToken, the machine the event started completes the first one's task with SendTaskSuccess", async () => {
    const charge = await s.t.createMachine(
      {
        StartAt: "Charge",
        States: {
          Charge: {
            Type: "Pass",
            Parameters: { "receipt.$": "States.Format('paid {}', $.detail.order)" },
            ResultPath: "$.charge",
            Next: "Reply",
          },
          Reply: {
            Type: "Task",
            Resource: "arn:aws:lambda:us-east-1:123456789012:function:reply-payment",
            Parameters: { "token.$": "$.detail.TaskToken", "receipt.$": "$.charge.receipt" },
            End: true,
          },
        },
      },
      "charge-card",
    );
    await events.send(
      new PutRuleCommand({
        Name: "payments",
        EventBusName: "checkout",
        EventPattern: JSON.stringify({ "detail-type": ["PaymentRequested"] }),
      }),
    );
    await events.send(new PutTargetsCommand({ Rule: "payments", EventBusName: "checkout", Targets: [{ Id: "charge", Arn: charge }] }));
    const order = await s.t.createMachine(
      {
        StartAt: "RequestPayment",
        States: {
          RequestPayment: putEvents(
            [
              {
                EventBusName: "checkout",
                Source: "shop.checkout",
                DetailType: "PaymentRequested",
                Detail: { "order.$": "$.order", "TaskToken.$": "$$.Task.Token" },
              },
            ],
            { ResultPath: "$.payment", Next: "Done" },
            "arn:aws:states:::events:putEvents.waitForTaskToken",
          ),
          Done: { Type: "Succeed" },
        },
      },
      "order-with-payment",
    );

    const started = await s.t.runtime.engine.start({ stateMachineArn: order, input: JSON.stringify({ order: "o-8" }) });
    const [charged] = await executionsOf(s, charge);
    const chargedEnd = await s.t.waitFor(`${charge.replace(":stateMachine:", ":execution:")}:${charged?.name}`);
    expect([chargedEnd.execution.status, chargedEnd.execution.cause]).toEqual(["SUCCEEDED", null]);
    expect(charged?.input.resources).toEqual([order, started.executionArn]);
    const { execution } = await s.t.waitFor(started.executionArn);
    expect(execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.output as string)).toEqual({ order: "o-8", payment: { receipt: "paid o-8" } });
  });

  it("entries EventBridge refuses fail the task with EventBridge.FailedEntry and the response as the cause; the others are still sent", async () => {
    const audit = await s.t.createMachine(JSON.parse(passMachine()), "audit-log");
    await events.send(new PutRuleCommand({ Name: "audit", EventPattern: JSON.stringify({ source: ["shop.audit"] }) }));
    await events.send(new PutTargetsCommand({ Rule: "audit", Targets: [{ Id: "audit", Arn: audit }] }));
    const machine = await s.t.createMachine({
      StartAt: "Emit",
      States: {
        Emit: putEvents(
          [
            { Source: "shop.audit", DetailType: "Audited", Detail: { ok: true } },
            { DetailType: "Audited", Detail: { ok: false } },
            { Source: "shop.audit", DetailType: "Audited", Detail: '"jsonstring"' },
            { EventBusName: "nowhere", Source: "shop.audit", DetailType: "Audited", Detail: {} },
          ],
          { Catch: [{ ErrorEquals: ["EventBridge.FailedEntry"], ResultPath: "$.error", Next: "Failed" }], End: true },
        ),
        Failed: { Type: "Pass", End: true },
      },
    });

    const { execution } = await s.t.run(machine);
    expect(execution.status).toBe("SUCCEEDED");
    const { error } = JSON.parse(execution.output as string);
    expect(error.Error).toBe("EventBridge.FailedEntry");
    expect(JSON.parse(error.Cause)).toEqual({
      Entries: [
        { EventId: expect.any(String) },
        { ErrorCode: "InvalidArgument", ErrorMessage: "Parameter Source is not valid. Reason: Source is a required argument." },
        { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." },
        { ErrorCode: "ResourceNotFoundException", ErrorMessage: "Event bus nowhere does not exist." },
      ],
      FailedEntryCount: 3,
    });
    const started = await executionsOf(s, audit);
    expect(started.map((e) => e.input.detail)).toEqual([{ ok: true }]);
  });

  it("more than ten entries are refused as a whole with EventBridge.ValidationException, and nothing is sent", async () => {
    const entries = Array.from({ length: 11 }, (_, i) => ({ Source: "shop.bulk", DetailType: "Many", Detail: { i } }));
    const machine = await s.t.createMachine({ StartAt: "Emit", States: { Emit: putEvents(entries) } });
    const { execution } = await s.t.run(machine);
    expect(execution.status).toBe("FAILED");
    expect(execution.error).toBe("EventBridge.ValidationException");
    expect(execution.cause).toMatch(/^Entries: must be a list of 1 to 10 entries/);
  });
});

describe("events:putEvents with an external EventBridge endpoint configured", () => {
  let here: AwsTestServer;
  let there: AwsTestServer;
  let hereEvents: EventBridgeClient;
  let thereEvents: EventBridgeClient;
  let handler: ReturnType<typeof awsIntegrationHandler>;

  beforeAll(async () => {
    here = await startAwsTestServer();
    // The "external" EventBridge: another Stepwise server, in another account, reached over HTTP.
    there = await startAwsTestServer({ worker: {}, runtimeEnv: { STEPWISE_ACCOUNT_ID: OTHER_ACCOUNT } });
    handler = startWorker(here, { STEPWISE_AWS_INTEGRATIONS: "events", AWS_ENDPOINT_URL_EVENTBRIDGE: there.endpoint });
    hereEvents = eventsClient(here);
    thereEvents = eventsClient(there);
  });
  afterAll(async () => {
    hereEvents?.destroy();
    thereEvents?.destroy();
    handler?.close();
    await there?.close();
    await here?.close();
  });

  it("entries for a bus of this server stay here; the default bus is the external endpoint's", async () => {
    const localTarget = await here.t.createMachine(JSON.parse(passMachine()), "local-shipping");
    const remoteTarget = await there.t.createMachine(JSON.parse(passMachine()), "remote-billing");
    await hereEvents.send(new CreateEventBusCommand({ Name: "shipping" }));
    await hereEvents.send(new PutRuleCommand({ Name: "ship", EventBusName: "shipping", EventPattern: '{"source":["shop"]}' }));
    await hereEvents.send(new PutTargetsCommand({ Rule: "ship", EventBusName: "shipping", Targets: [{ Id: "t", Arn: localTarget }] }));
    await thereEvents.send(new PutRuleCommand({ Name: "bill", EventPattern: '{"source":["shop"]}' }));
    await thereEvents.send(new PutTargetsCommand({ Rule: "bill", Targets: [{ Id: "t", Arn: remoteTarget }] }));
    const region = here.t.config.STEPWISE_REGION;
    const machine = await here.t.createMachine(
      {
        StartAt: "Emit",
        States: {
          Emit: putEvents([
            { EventBusName: "shipping", Source: "shop", DetailType: "Ship", Detail: { to: "here, by name" } },
            { Source: "shop", DetailType: "Bill", Detail: { to: "there, the default bus" } },
            {
              EventBusName: `arn:aws:events:${region}:${here.t.config.STEPWISE_ACCOUNT_ID}:event-bus/shipping`,
              Source: "shop",
              DetailType: "Ship",
              Detail: { to: "here, by ARN" },
              Time: "2026-03-01T12:00:00Z",
            },
          ]),
        },
      },
      "dispatcher",
    );

    const { execution } = await here.t.run(machine);
    expect(execution.status).toBe("SUCCEEDED");
    const output = JSON.parse(execution.output as string);
    expect(output.FailedEntryCount).toBe(0);
    const [toShipping, toDefault, byArn] = output.Entries.map((e: { EventId: string }) => e.EventId);

    const local = await executionsOf(here, localTarget, 2);
    expect(local.map((e) => [e.input.id, e.input.detail.to, e.input.time]).sort()).toEqual(
      [
        [toShipping, "here, by name", expect.any(String)],
        [byArn, "here, by ARN", "2026-03-01T12:00:00Z"],
      ].sort(),
    );
    const [remote] = await executionsOf(there, remoteTarget);
    expect(remote?.input).toMatchObject({
      id: toDefault,
      account: OTHER_ACCOUNT,
      detail: { to: "there, the default bus" },
      resources: [machine, execution.arn],
    });
  });

  it("the external endpoint is an AWS service call: off unless STEPWISE_AWS_INTEGRATIONS lists events", async () => {
    const off = awsIntegrationHandler(
      loadIntegrationsConfig({
        AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
        AWS_ENDPOINT_URL_EVENTBRIDGE: there.endpoint,
      }),
      { eventBus: localEventBus(here.t.runtime, eventMetrics(here.registry)) },
    );
    const context = {
      signal: new AbortController().signal,
      executionArn: `arn:aws:states:${here.t.config.STEPWISE_REGION}:${here.t.config.STEPWISE_ACCOUNT_ID}:execution:m:e`,
      stateName: "Emit",
      taskId: "t",
      resource: "arn:aws:states:::events:putEvents",
      heartbeat: async () => {},
      deferCompletion: async () => {},
    };
    await expect(off({ Entries: [{ Source: "shop", DetailType: "Bill", Detail: "{}" }] }, context)).rejects.toMatchObject({
      error: "States.Runtime",
      message: expect.stringContaining("add 'events' to STEPWISE_AWS_INTEGRATIONS"),
    });
    off.close();
  });
});
