/**
 * For the tests of the AWS APIs: the Step Functions, EventBridge and EventBridge Scheduler routers on 127.0.0.1, port
 * 0, over a real test runtime (fresh Postgres schema, own queue prefix), with SFN clients of
 * @aws-sdk/client-sfn pointed at it.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { DescribeExecutionCommand, type DescribeExecutionCommandOutput, SFNClient, type SFNClientConfig } from "@aws-sdk/client-sfn";
import type { StartWorkerOptions } from "@stepwise/runtime";
import { createTestRuntime, type TestRuntime } from "@stepwise/testkit";
import express from "express";
import { Registry } from "prom-client";
import { type ApiConfig, loadApiConfig } from "../config.ts";
import { createEventsRouter } from "../events/router.ts";
import { createSchedulerRouter } from "../scheduler/router.ts";
import { type AwsRouterOptions, createAwsRouter } from "./router.ts";

export const ACCESS_KEY_ID = "AKIDSTEPWISETEST";
export const SECRET_ACCESS_KEY = "stepwise-test-secret";

export interface AwsTestServer {
  t: TestRuntime;
  config: ApiConfig;
  registry: Registry;
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  /** Signed with the server's test credentials, no retries, no host prefixes. */
  client: SFNClient;
  clientWith(overrides: Partial<SFNClientConfig>): SFNClient;
  close(): Promise<void>;
}

export interface AwsTestServerOptions {
  apiEnv?: Record<string, string>;
  router?: AwsRouterOptions;
  /** Start a worker (and a scheduler) with these handlers. */
  worker?: StartWorkerOptions;
  /** Runtime settings beyond the test defaults (STEPWISE_EXECUTION_LOG_FILE, …). */
  runtimeEnv?: Record<string, string>;
}

export async function startAwsTestServer(options: AwsTestServerOptions = {}): Promise<AwsTestServer> {
  const t = await createTestRuntime(options.runtimeEnv);
  if (options.worker) {
    t.worker(options.worker);
    t.scheduler();
  }
  const config = loadApiConfig({ HOST: "127.0.0.1", STEPWISE_ACCESS_KEYS: `${ACCESS_KEY_ID}:${SECRET_ACCESS_KEY}`, ...options.apiEnv });
  const registry = new Registry();
  const app = express();
  app.use(createSchedulerRouter({ runtime: t.runtime, config, registry }));
  app.use(createEventsRouter({ runtime: t.runtime, config, registry }));
  app.use(createAwsRouter({ runtime: t.runtime, config, registry }, options.router));
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients: SFNClient[] = [];
  const clientWith = (overrides: Partial<SFNClientConfig>) => {
    const client = new SFNClient({
      endpoint,
      region: t.config.STEPWISE_REGION,
      credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY },
      maxAttempts: 1,
      // AWS serves StartSyncExecution and TestState on `sync-states.<region>`, and the SDK prefixes the
      // endpoint's host with `sync-` for them unless told not to; Stepwise serves everything on one host.
      disableHostPrefix: true,
      ...overrides,
    });
    clients.push(client);
    return client;
  };
  return {
    t,
    config,
    registry,
    endpoint,
    client: clientWith({}),
    clientWith,
    close: async () => {
      for (const client of clients) client.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await t.close();
    },
  };
}

/** The error a promise rejects with (the test fails if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the call to fail");
}

/** DescribeExecution once the execution has ended (it fails the test after 20 s of RUNNING). */
export async function waitForEnd(client: SFNClient, executionArn: string): Promise<DescribeExecutionCommandOutput> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const execution = await client.send(new DescribeExecutionCommand({ executionArn }));
    if (execution.status !== "RUNNING") return execution;
    if (Date.now() > deadline) throw new Error(`${executionArn} still running`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const passMachine = (result: unknown = { done: true }) =>
  JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", Result: result, End: true } } });

export const ROLE_ARN = "arn:aws:iam::123456789012:role/stepwise-test";
