import { randomUUID } from "node:crypto";
import { CreateTopicCommand, DeleteTopicCommand, type MessageAttributeValue, type SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { JsonObject } from "@stepwise/asl";
import { AWS_INTEGRATION_HANDLER } from "@stepwise/runtime";
import { createTestRuntime, type TestRuntime } from "@stepwise/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsIntegrationHandler, loadIntegrationsConfig } from "../src/index.ts";
import { type AwsTestServers, startAwsTestServers, testClients } from "./protocol-servers.ts";

const suffix = randomUUID().slice(0, 8);

describe("SNS's optimized integration (sns:publish) against an SNS-protocol server", () => {
  let servers: AwsTestServers;
  let t: TestRuntime;
  let handler: ReturnType<typeof awsIntegrationHandler>;
  let sns: SNSClient;
  let queues: SQSClient;
  let topicArn: string;
  let queueUrl: string;

  const output = (execution: { output: string | null }) => JSON.parse(execution.output as string);
  /** What the topic's subscriber (a queue with raw delivery) received next. */
  const delivered = async () => {
    for (let i = 0; i < 50; i++) {
      const { Messages } = await queues.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 1, MessageAttributeNames: ["All"] }),
      );
      const message = Messages?.[0];
      if (message) return message;
    }
    throw new Error("no message was delivered");
  };
  const publish = (parameters: JsonObject, rest: object = { End: true }) => ({
    Type: "Task" as const,
    Resource: "arn:aws:states:::sns:publish",
    Parameters: parameters,
    ...rest,
  });

  beforeAll(async () => {
    servers = await startAwsTestServers();
    ({ sns, snsQueues: queues } = testClients(servers.env));
    topicArn = (await sns.send(new CreateTopicCommand({ Name: `orders-${suffix}` }))).TopicArn as string;
    queueUrl = (await queues.send(new CreateQueueCommand({ QueueName: `order-mail-${suffix}` }))).QueueUrl as string;
    const { Attributes } = await queues.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }));
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: "sqs",
        Endpoint: Attributes?.QueueArn,
        Attributes: { RawMessageDelivery: "true" },
      }),
    );
    t = await createTestRuntime();
    handler = awsIntegrationHandler(loadIntegrationsConfig({ ...servers.env, STEPWISE_AWS_INTEGRATIONS: "sns" }));
    t.worker({ handlers: { [AWS_INTEGRATION_HANDLER]: handler } });
  });
  afterAll(async () => {
    await t?.close();
    handler?.close();
    await sns?.send(new DeleteTopicCommand({ TopicArn: topicArn })).catch(() => {});
    await queues?.send(new DeleteQueueCommand({ QueueUrl: queueUrl })).catch(() => {});
    sns?.destroy();
    queues?.destroy();
    await servers?.close();
  });

  it("publish delivers the message (JSON when it is not text) with its attributes to the topic's subscribers, and returns the MessageId", async () => {
    const arn = await t.createMachine({
      StartAt: "Announce",
      States: {
        Announce: publish({
          TopicArn: topicArn,
          Subject: "Order shipped",
          "Message.$": "$.order",
          MessageAttributes: { kind: { DataType: "String", "StringValue.$": "$.kind" } },
        }),
      },
    });
    const { execution } = await t.run(arn, { order: { id: "o-1", items: 2 }, kind: "shipped" });
    expect(execution.status).toBe("SUCCEEDED");
    const result = output(execution);
    const message = await delivered();
    expect(JSON.parse(message.Body as string)).toEqual({ id: "o-1", items: 2 });
    expect(message.MessageAttributes?.kind as MessageAttributeValue).toMatchObject({ DataType: "String", StringValue: "shipped" });
    expect(typeof result.MessageId).toBe("string");
    expect(result.SdkHttpMetadata.HttpStatusCode).toBe(200);
    expect(typeof result.SdkResponseMetadata.RequestId).toBe("string");
  });

  it("publish.waitForTaskToken waits until a subscriber answers with the token it received", async () => {
    const arn = await t.createMachine({
      StartAt: "AskApproval",
      States: {
        AskApproval: publish(
          { TopicArn: topicArn, Message: { "order.$": "$.id", "TaskToken.$": "$$.Task.Token" } },
          { Type: "Task", Resource: "arn:aws:states:::sns:publish.waitForTaskToken", End: true },
        ),
      },
    });
    const started = await t.runtime.engine.start({ stateMachineArn: arn, input: JSON.stringify({ id: "o-2" }) });
    const body = JSON.parse((await delivered()).Body as string);
    expect(body.order).toBe("o-2");
    await t.runtime.engine.completeTask(body.TaskToken, { output: { approved: true } });
    const { execution } = await t.waitFor(started.executionArn);
    expect(execution.status).toBe("SUCCEEDED");
    expect(output(execution)).toEqual({ approved: true });
  });

  it("a missing topic is SNS.NotFoundException (Sns.NotFoundException through aws-sdk:sns), which Catch handles", async () => {
    const missing = `${topicArn}-gone`;
    const arn = await t.createMachine({
      StartAt: "Announce",
      States: {
        Announce: publish(
          { TopicArn: missing, Message: "hello" },
          { Catch: [{ ErrorEquals: ["SNS.NotFoundException"], ResultPath: "$.error", Next: "ThroughTheSdk" }] },
        ),
        ThroughTheSdk: {
          Type: "Task",
          Resource: "arn:aws:states:::aws-sdk:sns:publish",
          Parameters: { TopicArn: missing, Message: "hello" },
          End: true,
        },
      },
    });
    const { execution, history } = await t.run(arn, {});
    expect(execution).toMatchObject({ status: "FAILED", error: "Sns.NotFoundException" });
    const caught = history.find((e) => e.type === "TaskFailed");
    expect(caught?.taskFailedEventDetails).toMatchObject({ error: "SNS.NotFoundException" });
    expect(caught?.taskFailedEventDetails?.cause).toMatch(/does not exist/i);
  });

  it("an action the optimized integration lacks fails with States.Runtime pointing at the SDK integration", async () => {
    const arn = await t.createMachine({
      StartAt: "List",
      States: { List: { Type: "Task", Resource: "arn:aws:states:::sns:listTopics", Parameters: {}, End: true } },
    });
    const { execution } = await t.run(arn, {});
    expect(execution).toMatchObject({ status: "FAILED", error: "States.Runtime" });
    expect(execution.cause).toContain("arn:aws:states:::aws-sdk:sns:listTopics");
  });
});
