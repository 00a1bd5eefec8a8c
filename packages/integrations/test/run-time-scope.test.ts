/**
 * A scoped credential's executions call only the AWS services its scope lists in awsServices, checked as
 * each integration task runs: the check when a machine is created cannot see a machine the unscoped key
 * created and the scoped key starts, nor a redrive by a narrower key.
 */
import { randomUUID } from "node:crypto";
import { DeleteTableCommand, type DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { AWS_INTEGRATION_HANDLER, type CredentialScope } from "@stepwise/runtime";
import { createTestRuntime, type TestRuntime } from "@stepwise/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsIntegrationHandler, loadIntegrationsConfig } from "../src/index.ts";
import { type AwsTestServers, createTable, startAwsTestServers, testClients } from "./protocol-servers.ts";

const table = `scoped-${randomUUID().slice(0, 8)}`;
const orders = (awsServices?: string[]): CredentialScope => ({
  principal: "Access key AKIDORDERS",
  stateMachines: ["orders-*"],
  activities: [],
  ...(awsServices ? { awsServices } : {}),
});

/** Saves the input's id; a refusal of the service is caught, so the test can see the item was not written. */
const definition = {
  StartAt: "Save",
  States: {
    Save: {
      Type: "Task" as const,
      Resource: "arn:aws:states:::dynamodb:putItem",
      Parameters: { TableName: table, Item: { id: { "S.$": "$.id" } } },
      Catch: [{ ErrorEquals: ["StepFunctions.AccessDeniedException"], ResultPath: "$.refused", Next: "Refused" }],
      End: true,
    },
    Refused: { Type: "Pass" as const, End: true },
  },
};

describe("the awsServices of the credential that started an execution, checked when its integration tasks run", () => {
  let servers: AwsTestServers;
  let t: TestRuntime;
  let handler: ReturnType<typeof awsIntegrationHandler>;
  let dynamo: DynamoDBClient;
  let machine: string;

  const stored = async (id: string) => (await dynamo.send(new GetItemCommand({ TableName: table, Key: { id: { S: id } } }))).Item;
  const runAs = async (scope: CredentialScope | undefined, id: string, stateMachineArn = machine) => {
    const started = await t.runtime.engine.start({ stateMachineArn, input: JSON.stringify({ id }), ...(scope ? { scope } : {}) });
    return t.waitFor(started.executionArn);
  };

  beforeAll(async () => {
    servers = await startAwsTestServers();
    dynamo = testClients(servers.env).dynamo;
    await createTable(dynamo, table);
    t = await createTestRuntime();
    handler = awsIntegrationHandler(loadIntegrationsConfig({ ...servers.env, STEPWISE_AWS_INTEGRATIONS: "*" }));
    t.worker({ handlers: { [AWS_INTEGRATION_HANDLER]: handler } });
    // Created by the unscoped key, in the orders team's scope: any orders key may start it.
    machine = await t.createMachine(definition, "orders-archive");
  });
  afterAll(async () => {
    await t?.close();
    handler?.close();
    await dynamo?.send(new DeleteTableCommand({ TableName: table })).catch(() => {});
    dynamo?.destroy();
    await servers?.close();
  });

  it("an execution of a key whose scope does not list the service fails the task with StepFunctions.AccessDeniedException; nothing is written", async () => {
    const { execution } = await runAs(orders(["sqs"]), "o-refused");
    expect(execution.status).toBe("SUCCEEDED");
    const { refused } = JSON.parse(execution.output as string);
    expect(refused.Error).toBe("StepFunctions.AccessDeniedException");
    expect(refused.Cause).toContain(
      "Access key AKIDORDERS is not authorized to perform: dynamodb:PutItem on resource: arn:aws:states:::dynamodb:putItem because the credential that started the execution does not list 'dynamodb' in awsServices",
    );
    expect(await stored("o-refused")).toBeUndefined();
    // A scope recorded without awsServices (before they existed) lists none.
    const { execution: older } = await runAs(orders(), "o-older");
    expect(JSON.parse(older.output as string).refused.Error).toBe("StepFunctions.AccessDeniedException");
    expect(await stored("o-older")).toBeUndefined();
  });

  it("the service runs for a key whose scope lists it (or *), and for the unscoped key", async () => {
    for (const [scope, id] of [
      [orders(["dynamodb"]), "o-listed"],
      [orders(["*"]), "o-every"],
      [undefined, "o-admin"],
    ] as const) {
      const { execution } = await runAs(scope, id);
      expect(JSON.parse(execution.output as string).refused, id).toBeUndefined();
      expect(await stored(id), id).toEqual({ id: { S: id } });
    }
  });

  it("an Express execution is held to the same scope", async () => {
    const express = await t.createMachine(definition, "orders-express", "EXPRESS");
    const refused = await runAs(orders(["sqs"]), "o-express-refused", express);
    expect(JSON.parse(refused.execution.output as string).refused.Error).toBe("StepFunctions.AccessDeniedException");
    expect(await stored("o-express-refused")).toBeUndefined();
    const allowed = await runAs(orders(["dynamodb"]), "o-express", express);
    expect(JSON.parse(allowed.execution.output as string).refused).toBeUndefined();
    expect(await stored("o-express")).toEqual({ id: { S: "o-express" } });
  });

  it("redriven by a key whose scope lists the service, an execution started by one whose scope does not is still refused", async () => {
    const redriven: CredentialScope = { ...orders(["dynamodb"]), principal: "Access key AKIDREDRIVER", within: orders([]) };
    const { execution } = await runAs(redriven, "o-redriven");
    expect(JSON.parse(execution.output as string).refused.Error).toBe("StepFunctions.AccessDeniedException");
    expect(await stored("o-redriven")).toBeUndefined();
  });
});
