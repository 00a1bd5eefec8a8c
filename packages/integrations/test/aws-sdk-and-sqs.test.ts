import { randomUUID } from "node:crypto";
import { DeleteTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CreateQueueCommand, DeleteQueueCommand, ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { AWS_INTEGRATION_HANDLER } from "@stepwise/runtime";
import { createTestRuntime, type TestRuntime } from "@stepwise/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsIntegrationHandler, loadIntegrationsConfig } from "../src/index.ts";
import { type AwsTestServers, createTable, startAwsTestServers, testClients } from "./protocol-servers.ts";

const suffix = randomUUID().slice(0, 8);
const table = `carts-${suffix}`;
const queueName = `orders-${suffix}`;

describe("AWS SDK integrations (aws-sdk:<service>:<action>) and SQS sendMessage", () => {
  let servers: AwsTestServers;
  let t: TestRuntime;
  let handler: ReturnType<typeof awsIntegrationHandler>;
  let dynamo: DynamoDBClient;
  let sqs: SQSClient;
  let queueUrl: string;

  const output = (execution: { output: string | null }) => JSON.parse(execution.output as string);
  const receiveOne = async () => {
    for (let i = 0; i < 50; i++) {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 1 }));
      const message = Messages?.[0];
      if (message) return message;
    }
    throw new Error("no message arrived");
  };

  beforeAll(async () => {
    servers = await startAwsTestServers();
    const { env } = servers;
    ({ dynamo, sqs } = testClients(env));
    await createTable(dynamo, table);
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: queueName }))).QueueUrl as string;
    t = await createTestRuntime();
    handler = awsIntegrationHandler(loadIntegrationsConfig({ ...env, STEPWISE_AWS_INTEGRATIONS: "*" }));
    t.worker({ handlers: { [AWS_INTEGRATION_HANDLER]: handler } });
  });
  afterAll(async () => {
    await t?.close();
    handler?.close();
    await dynamo?.send(new DeleteTableCommand({ TableName: table })).catch(() => {});
    await sqs?.send(new DeleteQueueCommand({ QueueUrl: queueUrl })).catch(() => {});
    dynamo?.destroy();
    sqs?.destroy();
    await servers?.close();
  });

  it("an SDK action's error is named <Service>.<Exception> as AWS names it, and Catch handles it", async () => {
    const arn = await t.createMachine({
      StartAt: "Create",
      States: {
        Create: {
          Type: "Task",
          Resource: "arn:aws:states:::aws-sdk:dynamodb:putItem",
          Parameters: { TableName: table, Item: { id: { S: "cart-1" } }, ConditionExpression: "attribute_not_exists(id)" },
          ResultPath: null,
          Next: "CreateAgain",
        },
        CreateAgain: {
          Type: "Task",
          Resource: "arn:aws:states:::aws-sdk:dynamodb:putItem",
          Parameters: { TableName: table, Item: { id: { S: "cart-1" } }, ConditionExpression: "attribute_not_exists(id)" },
          Catch: [{ ErrorEquals: ["DynamoDb.ConditionalCheckFailedException"], ResultPath: "$.error", Next: "Exists" }],
          End: true,
        },
        Exists: { Type: "Pass", End: true },
      },
    });
    const { execution } = await t.run(arn, {});
    expect(execution.status).toBe("SUCCEEDED");
    expect(output(execution).error.Error).toBe("DynamoDb.ConditionalCheckFailedException");
  });

  it("an action the optimized integration lacks runs through the SDK integration (describeTable), and a missing table fails with DynamoDb.ResourceNotFoundException", async () => {
    const describe = (name: string) => ({
      Type: "Task" as const,
      Resource: "arn:aws:states:::aws-sdk:dynamodb:describeTable",
      Parameters: { TableName: name },
    });
    const arn = await t.createMachine({
      StartAt: "Describe",
      States: {
        Describe: { ...describe(table), ResultSelector: { "Name.$": "$.Table.TableName" }, ResultPath: "$.found", Next: "Missing" },
        Missing: { ...describe(`missing-${suffix}`), End: true },
      },
    });
    const { execution, history } = await t.run(arn, {});
    expect(execution).toMatchObject({ status: "FAILED", error: "DynamoDb.ResourceNotFoundException" });
    const described = history.find((e) => e.type === "TaskSucceeded");
    expect(JSON.parse(described?.taskSucceededEventDetails?.output as string).Table.TableName).toBe(table);
  });

  it("an unknown action or a service without an installed SDK fails with States.Runtime saying so", async () => {
    const one = (resource: string) => ({
      StartAt: "T",
      States: { T: { Type: "Task" as const, Resource: resource, Parameters: {}, End: true } },
    });
    const unknownAction = await t.run(await t.createMachine(one("arn:aws:states:::aws-sdk:dynamodb:makeCoffee")), {});
    expect(unknownAction.execution).toMatchObject({ status: "FAILED", error: "States.Runtime" });
    expect(unknownAction.execution.cause).toContain("MakeCoffeeCommand");
    const noSdk = await t.run(await t.createMachine(one("arn:aws:states:::aws-sdk:kinesis:listStreams")), {});
    expect(noSdk.execution).toMatchObject({ status: "FAILED", error: "States.Runtime" });
    expect(noSdk.execution.cause).toContain("install @aws-sdk/client-kinesis");
  });

  it("sqs:sendMessage sends the message body (JSON when it is not text) and returns the message id", async () => {
    const arn = await t.createMachine({
      StartAt: "Send",
      States: {
        Send: {
          Type: "Task",
          Resource: "arn:aws:states:::sqs:sendMessage",
          Parameters: { QueueUrl: queueUrl, "MessageBody.$": "$.order" },
          End: true,
        },
      },
    });
    const { execution } = await t.run(arn, { order: { id: "o-1", total: 3 } });
    expect(execution.status).toBe("SUCCEEDED");
    const result = output(execution);
    const message = await receiveOne();
    expect(JSON.parse(message.Body as string)).toEqual({ id: "o-1", total: 3 });
    expect(result.MessageId).toBe(message.MessageId);
    expect(result.MD5OfMessageBody).toBe(message.MD5OfBody);
    expect(result.SdkHttpMetadata.HttpStatusCode).toBe(200);
  });

  it("sqs:sendMessage.waitForTaskToken waits until the consumer of the message answers with the token", async () => {
    const arn = await t.createMachine({
      StartAt: "Ask",
      States: {
        Ask: {
          Type: "Task",
          Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
          Parameters: { QueueUrl: queueUrl, MessageBody: { "order.$": "$.id", "token.$": "$$.Task.Token" } },
          End: true,
        },
      },
    });
    const started = await t.runtime.engine.start({ stateMachineArn: arn, input: JSON.stringify({ id: "o-2" }) });
    const body = JSON.parse((await receiveOne()).Body as string);
    expect(body.order).toBe("o-2");
    await t.runtime.engine.completeTask(body.token, { output: { approved: true } });
    const { execution } = await t.waitFor(started.executionArn);
    expect(execution.status).toBe("SUCCEEDED");
    expect(output(execution)).toEqual({ approved: true });
  });

  it("a missing queue fails sendMessage with SQS's error name, and the SDK integration's with Sqs.", async () => {
    const missing = queueUrl.replace(queueName, `missing-${suffix}`);
    const send = (resource: string) => ({
      StartAt: "Send",
      States: { Send: { Type: "Task" as const, Resource: resource, Parameters: { QueueUrl: missing, MessageBody: "hi" }, End: true } },
    });
    const optimized = await t.run(await t.createMachine(send("arn:aws:states:::sqs:sendMessage")), {});
    expect(optimized.execution).toMatchObject({ status: "FAILED", error: "SQS.QueueDoesNotExist" });
    const sdk = await t.run(await t.createMachine(send("arn:aws:states:::aws-sdk:sqs:sendMessage")), {});
    expect(sdk.execution).toMatchObject({ status: "FAILED", error: "Sqs.QueueDoesNotExistException" });
  });
});
