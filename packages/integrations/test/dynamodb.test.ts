import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { DeleteTableCommand, type DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { AWS_INTEGRATION_HANDLER, type WorkerProcess } from "@stepwise/runtime";
import { createTestRuntime, type TestRuntime } from "@stepwise/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsIntegrationHandler, loadIntegrationsConfig } from "../src/index.ts";
import { type AwsTestServers, createTable, startAwsTestServers, testClients } from "./protocol-servers.ts";

const table = `orders-${randomUUID().slice(0, 8)}`;

describe("DynamoDB's optimized integrations against a DynamoDB-protocol server", () => {
  let servers: AwsTestServers;
  let t: TestRuntime;
  let worker: WorkerProcess;
  let handler: ReturnType<typeof awsIntegrationHandler>;
  let dynamo: DynamoDBClient;

  const startWorker = (env: Record<string, string>) => {
    handler = awsIntegrationHandler(loadIntegrationsConfig(env));
    worker = t.worker({ handlers: { [AWS_INTEGRATION_HANDLER]: handler, "fake-get": () => ({ Item: { id: { S: "from-handler" } } }) } });
  };
  const restartWorker = async (env: Record<string, string>) => {
    await worker.close(true);
    handler.close();
    startWorker(env);
  };
  const output = (execution: { output: string | null }) => JSON.parse(execution.output as string);
  const putOneItem = (retry: object = {}) =>
    t.createMachine({
      StartAt: "Put",
      States: {
        Put: {
          Type: "Task",
          Resource: "arn:aws:states:::dynamodb:putItem",
          Parameters: { TableName: table, Item: { id: { S: "x" } } },
          End: true,
          ...retry,
        },
      },
    });

  beforeAll(async () => {
    servers = await startAwsTestServers();
    dynamo = testClients(servers.env).dynamo;
    await createTable(dynamo, table);
    t = await createTestRuntime({ STEPWISE_RESOURCE_MAP: JSON.stringify({ "arn:aws:states:::dynamodb:getItem": "fake-get" }) });
    startWorker({ ...servers.env, STEPWISE_AWS_INTEGRATIONS: "dynamodb" });
  });
  afterAll(async () => {
    await t?.close();
    handler?.close();
    await dynamo?.send(new DeleteTableCommand({ TableName: table })).catch(() => {});
    dynamo?.destroy();
    await servers?.close();
  });

  it("putItem stores an item and getItem reads it back with typed attribute values; the keys stay out of history", async () => {
    const secret = `secret-${randomUUID()}`;
    await restartWorker({ ...servers.env, AWS_SECRET_ACCESS_KEY: secret, STEPWISE_AWS_INTEGRATIONS: "dynamodb" });
    const arn = await t.createMachine({
      StartAt: "Put",
      States: {
        Put: {
          Type: "Task",
          Resource: "arn:aws:states:::dynamodb:putItem",
          Parameters: {
            TableName: table,
            Item: {
              id: { "S.$": "$.id" },
              total: { N: "42" },
              tags: { SS: ["a", "b"] },
              blob: { B: "aGVsbG8=" },
              meta: { M: { ok: { BOOL: true } } },
            },
          },
          ResultPath: "$.put",
          Next: "Get",
        },
        Get: {
          Type: "Task",
          Resource: "arn:aws:states:::aws-sdk:dynamodb:getItem",
          Parameters: { TableName: table, Key: { id: { "S.$": "$.id" } } },
          ResultPath: "$.got",
          End: true,
        },
      },
    });
    const { execution, history } = await t.run(arn, { id: "order-1" });
    expect(execution.status).toBe("SUCCEEDED");
    expect(JSON.stringify(history)).not.toContain(secret);
    const result = output(execution);
    // The optimized integration answers the API's response with the SDK's HTTP metadata.
    expect(result.put.SdkHttpMetadata.HttpStatusCode).toBe(200);
    expect(typeof result.put.SdkResponseMetadata.RequestId).toBe("string");
    expect(result.got.Item).toEqual({
      id: { S: "order-1" },
      total: { N: "42" },
      tags: { SS: ["a", "b"] },
      blob: { B: "aGVsbG8=" },
      meta: { M: { ok: { BOOL: true } } },
    });
    // Binary values travel as base64 in state data, and are stored as the bytes they encode.
    const stored = await dynamo.send(new GetItemCommand({ TableName: table, Key: { id: { S: "order-1" } } }));
    expect(Buffer.from(stored.Item?.blob?.B as Uint8Array).toString()).toBe("hello");
    // The SDK integration answers the API's response alone.
    expect(result.got.SdkHttpMetadata).toBeUndefined();
  });

  it("updateItem and deleteItem return the attributes ReturnValues asks for", async () => {
    const arn = await t.createMachine({
      StartAt: "Update",
      States: {
        Update: {
          Type: "Task",
          Resource: "arn:aws:states:::dynamodb:updateItem",
          Parameters: {
            TableName: table,
            Key: { id: { S: "order-2" } },
            UpdateExpression: "SET #s = :s",
            ExpressionAttributeNames: { "#s": "status" },
            ExpressionAttributeValues: { ":s": { S: "PAID" } },
            ReturnValues: "ALL_NEW",
          },
          ResultSelector: { "Attributes.$": "$.Attributes" },
          ResultPath: "$.updated",
          Next: "Delete",
        },
        Delete: {
          Type: "Task",
          Resource: "arn:aws:states:::dynamodb:deleteItem",
          Parameters: { TableName: table, Key: { id: { S: "order-2" } }, ReturnValues: "ALL_OLD" },
          ResultSelector: { "Attributes.$": "$.Attributes" },
          ResultPath: "$.deleted",
          End: true,
        },
      },
    });
    const { execution } = await t.run(arn, {});
    expect(execution.status).toBe("SUCCEEDED");
    expect(output(execution)).toEqual({
      updated: { Attributes: { id: { S: "order-2" }, status: { S: "PAID" } } },
      deleted: { Attributes: { id: { S: "order-2" }, status: { S: "PAID" } } },
    });
  });

  it("a failed condition is DynamoDB.ConditionalCheckFailedException, which Catch handles", async () => {
    const put = (name: string, next: Record<string, unknown>) => ({
      Type: "Task",
      Resource: "arn:aws:states:::dynamodb:putItem",
      Parameters: { TableName: table, Item: { id: { S: "order-3" } }, ConditionExpression: "attribute_not_exists(id)" },
      ResultPath: null,
      ...next,
      Comment: name,
    });
    const arn = await t.createMachine({
      StartAt: "First",
      States: {
        First: put("first", { Next: "Again" }),
        Again: put("again", {
          Catch: [{ ErrorEquals: ["DynamoDB.ConditionalCheckFailedException"], ResultPath: "$.error", Next: "Duplicate" }],
          End: true,
        }),
        Duplicate: { Type: "Pass", End: true },
      },
    } as never);
    const { execution } = await t.run(arn, {});
    expect(execution.status).toBe("SUCCEEDED");
    const { error } = output(execution);
    expect(error.Error).toBe("DynamoDB.ConditionalCheckFailedException");
    expect(error.Cause).toMatch(/conditional request failed/i);
  });

  it("STEPWISE_RESOURCE_MAP still wins: a mapped integration runs its handler", async () => {
    const arn = await t.createMachine({
      StartAt: "Get",
      States: {
        Get: { Type: "Task", Resource: "arn:aws:states:::dynamodb:getItem", Parameters: { TableName: table, Key: {} }, End: true },
      },
    });
    const { execution } = await t.run(arn, {});
    expect(output(execution)).toEqual({ Item: { id: { S: "from-handler" } } });
  });

  it("a server that cannot be reached fails the task with DynamoDB.SdkClientException, which Retry and Catch match", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await restartWorker({ ...servers.env, AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${port}`, STEPWISE_AWS_INTEGRATIONS: "dynamodb" });
    const arn = await putOneItem({ Retry: [{ ErrorEquals: ["DynamoDB.SdkClientException"], MaxAttempts: 1, IntervalSeconds: 1 }] });
    const { execution, history } = await t.run(arn, {});
    expect(execution).toMatchObject({ status: "FAILED", error: "DynamoDB.SdkClientException" });
    expect(execution.cause).toContain("ECONNREFUSED");
    expect(history.filter((e) => e.type === "TaskFailed")).toHaveLength(2);
  });

  it("a service STEPWISE_AWS_INTEGRATIONS does not enable fails at once with States.Runtime naming the variable", async () => {
    await restartWorker({ ...servers.env, STEPWISE_AWS_INTEGRATIONS: "sqs" });
    const arn = await putOneItem();
    const { execution } = await t.run(arn, {});
    expect(execution).toMatchObject({ status: "FAILED", error: "States.Runtime" });
    expect(execution.cause).toContain("STEPWISE_AWS_INTEGRATIONS");
    expect(execution.cause).toContain("'dynamodb'");
  });

  it("with no credentials configured the task fails with States.Runtime naming the variables to set, never a hang", async () => {
    const { AWS_ACCESS_KEY_ID: _id, AWS_SECRET_ACCESS_KEY: _secret, ...withoutKeys } = servers.env;
    await restartWorker({ ...withoutKeys, STEPWISE_AWS_INTEGRATIONS: "*" });
    const arn = await putOneItem();
    const { execution } = await t.run(arn, {});
    expect(execution).toMatchObject({ status: "FAILED", error: "States.Runtime" });
    expect(execution.cause).toContain("AWS_ACCESS_KEY_ID");
    expect(execution.cause).toContain("AWS_ENDPOINT_URL_DYNAMODB");
  });
});
