/**
 * DynamoDB-, SQS- and SNS-protocol servers for the tests, in-process on random loopback ports (dynalite,
 * local-aws-sqs, and fauxqs for SNS, which delivers to queues of its own), or the endpoint
 * STEPWISE_TEST_AWS_ENDPOINT names (LocalStack, say), so the same scenarios run against either.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import dynalite from "dynalite";
import { startFauxqs } from "fauxqs";
import { createRequestHandler } from "local-aws-sqs";

export interface AwsTestServers {
  /** The variables a worker needs to reach them. */
  env: Record<string, string>;
  close(): Promise<void>;
}

type Listening = { address(): AddressInfo | string | null; close(done: () => void): void; closeAllConnections?: () => void };

async function listen(server: Listening & { listen(port: number, host: string, done: () => void): void }): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function close(server: Listening): Promise<void> {
  server.closeAllConnections?.();
  return new Promise((resolve) => server.close(() => resolve()));
}

export async function startAwsTestServers(): Promise<AwsTestServers> {
  const credentials = { AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" };
  const external = process.env.STEPWISE_TEST_AWS_ENDPOINT;
  if (external) return { env: { ...credentials, AWS_ENDPOINT_URL: external }, close: async () => {} };
  const dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const sqs = createServer(createRequestHandler({ port: 0, hostname: "127.0.0.1", emulateQueueCreationLifecycle: false }).requestHandler);
  const [dynamoUrl, sqsUrl, sns] = await Promise.all([listen(dynamo), listen(sqs), startFauxqs({ port: 0, logger: false })]);
  return {
    env: { ...credentials, AWS_ENDPOINT_URL_DYNAMODB: dynamoUrl, AWS_ENDPOINT_URL_SQS: sqsUrl, AWS_ENDPOINT_URL_SNS: sns.address },
    close: async () => {
      await Promise.all([close(dynamo), close(sqs), sns.stop()]);
    },
  };
}

/** SDK clients for the tests' own setup and checks, reaching the servers the worker reaches. */
export function testClients(env: Record<string, string>) {
  const common = { region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } };
  return {
    dynamo: new DynamoDBClient({ ...common, endpoint: env.AWS_ENDPOINT_URL_DYNAMODB ?? env.AWS_ENDPOINT_URL }),
    sqs: new SQSClient({ ...common, endpoint: env.AWS_ENDPOINT_URL_SQS ?? env.AWS_ENDPOINT_URL }),
    sns: new SNSClient({ ...common, endpoint: env.AWS_ENDPOINT_URL_SNS ?? env.AWS_ENDPOINT_URL }),
    /** Queues that topics of the SNS server can deliver to: the SNS server's own. */
    snsQueues: new SQSClient({ ...common, endpoint: env.AWS_ENDPOINT_URL_SNS ?? env.AWS_ENDPOINT_URL }),
  };
}

/** A table keyed by the string attribute `id`. */
export async function createTable(dynamo: DynamoDBClient, name: string): Promise<void> {
  await dynamo.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
}
