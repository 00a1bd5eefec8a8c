/**
 * The API app on 127.0.0.1, port 0, over a real test runtime (fresh Postgres schema, own queue prefix),
 * with a worker and scheduler so started executions run. For the REST and CLI tests.
 */

import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { StartWorkerOptions } from "@stepwise/runtime";
import { createTestRuntime, type TestRuntime } from "@stepwise/testkit";
import { Registry } from "prom-client";
import { createApiApp } from "../app.ts";
import { loadApiConfig } from "../config.ts";

export interface TestApi {
  t: TestRuntime;
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  /** A JSON request to `/v1<path>`; the body is sent as JSON when given. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read response fields one by one
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export async function startTestApi(
  options: { apiEnv?: Record<string, string>; runtimeEnv?: Record<string, string>; worker?: StartWorkerOptions } = {},
): Promise<TestApi> {
  const t = await createTestRuntime(options.runtimeEnv);
  t.worker(options.worker);
  t.scheduler();
  const config = loadApiConfig({ HOST: "127.0.0.1", STEPWISE_AUTH: "off", ...options.apiEnv });
  const app = createApiApp({ runtime: t.runtime, config, registry: new Registry() });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    t,
    endpoint,
    call: async (method, path, body, headers = {}) => {
      const response = await fetch(`${endpoint}/v1${path}`, {
        method,
        headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text === "" ? undefined : JSON.parse(text) };
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await t.close();
    },
  };
}
