/**
 * The API's security promises, on the live app (real Redis and Postgres) with authentication on: every
 * route but the documented exceptions needs credentials, a Signature V4 is bound to its key, its time and
 * its body, and no credential ever reaches the logs.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { CreateStateMachineCommand, ListStateMachinesCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { createLogger } from "@stepwise/runtime";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ACTIONS, TARGET_PREFIX } from "./aws/actions.ts";
import { appRoutes, concrete, type Endpoint, type LiveApi, label, type RouteLayer, send, signedHeaders, startLiveApi } from "./live-api.ts";

const KEY_A = { id: "AKIDSECURITYA", secret: "security-secret-a/K7MDENG+bPxRfiCY" };
const KEY_B = { id: "AKIDSECURITYB", secret: "security-secret-b/wJalrXUtnFEMI+Xy" };
const BEARER = "security-bearer-token-9f4c2e";
const API_ENV = {
  STEPWISE_ACCESS_KEYS: `${KEY_A.id}:${KEY_A.secret},${KEY_B.id}:${KEY_B.secret}`,
  STEPWISE_API_TOKENS: BEARER,
};

// The documented exceptions: probes, the OpenAPI document, and the console (a redirect, its page, whose
// CSP nonce is new on every answer, and static files).
const CONSOLE_PAGE = ["GET /console/", "GET /console/index.html"];
const OPEN_ROUTES = ["GET /", ...CONSOLE_PAGE, "GET /healthz", "GET /metrics", "GET /readyz", "GET /v1/openapi.json"].sort();

describe("with authentication on, every route needs credentials", () => {
  let api: LiveApi;
  let routes: Endpoint[];
  let mounts: string[];
  beforeAll(async () => {
    api = await startLiveApi({ apiEnv: API_ENV });
    ({ routes, mounts } = appRoutes(api.app));
  });
  afterAll(() => api.close());

  it("finds the whole app: the AWS endpoint, the probes and every REST route", () => {
    expect(routes.map(label)).toEqual(
      expect.arrayContaining(["POST /", ...OPEN_ROUTES, "POST /v1/state-machines", "POST /v1/tasks/:token/success"]),
    );
    expect(routes.filter((r) => r.path.startsWith("/v1/")).length).toBeGreaterThanOrEqual(18);
  });

  it("refuses every route without credentials with 401 or 403, except exactly the documented open ones", async () => {
    const open: string[] = [];
    for (const route of routes) {
      const body = route.method === "GET" ? "" : "{}";
      const headers: Record<string, string> = body === "" ? {} : { "content-type": "application/json" };
      const answer = await send(api.endpoint, route.method, concrete(route.path), headers, body);
      if (answer.status === 401 || answer.status === 403) continue;
      expect(answer.status, label(route)).toBeLessThan(400);
      open.push(label(route));
    }
    expect(open.sort()).toEqual(OPEN_ROUTES);
  });

  it("mounts only the console, whose own routes are its page, and it serves static files", () => {
    expect(mounts).toEqual([]);
    expect(routes.map(label).filter((r) => r.includes(" /console"))).toEqual(CONSOLE_PAGE);
    const consoleLayer = (api.app as unknown as { router: { stack: RouteLayer[] } }).router.stack.find(
      (layer) => layer.rawPath === "/console",
    );
    expect(consoleLayer?.handle.stack?.map((layer) => layer.name)).toContain("serveStatic");
  });

  it("refuses every AWS action unsigned (403) and with a REST bearer token instead of a signature", async () => {
    expect(ACTIONS.size).toBeGreaterThan(30);
    for (const action of ACTIONS.keys()) {
      const headers = { "content-type": "application/x-amz-json-1.0", "x-amz-target": `${TARGET_PREFIX}${action}` };
      const unsigned = await send(api.endpoint, "POST", "/", headers, "{}");
      expect(unsigned.status, action).toBe(403);
      expect(unsigned.json().__type, action).toBe("com.amazon.coral.service#MissingAuthenticationTokenException");
      const bearer = await send(api.endpoint, "POST", "/", { ...headers, authorization: `Bearer ${BEARER}` }, "{}");
      expect(bearer.status, action).toBe(400);
      expect(bearer.json().__type, action).toBe("com.amazon.coral.service#IncompleteSignatureException");
    }
  });

  it("the REST API does not take an AWS signature for a bearer token", async () => {
    const headers = signedHeaders({ host: api.host, region: api.region, keyId: KEY_A.id, secret: KEY_A.secret });
    expect((await send(api.endpoint, "GET", "/v1/state-machines", headers)).status).toBe(401);
    expect((await send(api.endpoint, "GET", "/v1/state-machines", { authorization: `Bearer ${BEARER}` })).status).toBe(200);
  });

  it("accepts a request signed by either configured key", async () => {
    for (const key of [KEY_A, KEY_B]) {
      const headers = signedHeaders({ host: api.host, region: api.region, keyId: key.id, secret: key.secret });
      const answer = await send(api.endpoint, "POST", "/", headers, "{}");
      expect(answer.status, key.id).toBe(200);
      expect(answer.json()).toEqual({ stateMachines: [] });
    }
  });

  it("refuses a signature made with another key's secret", async () => {
    const headers = signedHeaders({ host: api.host, region: api.region, keyId: KEY_A.id, secret: KEY_B.secret });
    const answer = await send(api.endpoint, "POST", "/", headers, "{}");
    expect(answer.status).toBe(400);
    expect(answer.json().__type).toBe("com.amazon.coral.service#InvalidSignatureException");
    expect(answer.json().message).toMatch(/^The request signature we calculated does not match/);
  });

  it("refuses a valid signature replayed after its 15-minute window", async () => {
    const headers = signedHeaders({
      host: api.host,
      region: api.region,
      keyId: KEY_A.id,
      secret: KEY_A.secret,
      date: new Date("2024-01-02T03:04:05Z"),
    });
    const answer = await send(api.endpoint, "POST", "/", headers, "{}");
    expect(answer.status).toBe(400);
    expect(answer.json().__type).toBe("com.amazon.coral.service#InvalidSignatureException");
    expect(answer.json().message).toMatch(/^Signature expired: 20240102T030405Z is now earlier than \d{8}T\d{6}Z/);
  });

  it("refuses a signature for one body sent with another, whatever x-amz-content-sha256 claims", async () => {
    const signedBody = JSON.stringify({ name: "harmless", definition: "{}", roleArn: "arn:aws:iam::123456789012:role/r" });
    for (const sentBody of [signedBody.replace("harmless", "hijacked"), `${signedBody} `, "{}"]) {
      const headers = signedHeaders({
        host: api.host,
        region: api.region,
        keyId: KEY_A.id,
        secret: KEY_A.secret,
        target: "CreateStateMachine",
        body: signedBody,
        contentSha256: true,
      });
      const answer = await send(api.endpoint, "POST", "/", headers, sentBody);
      expect(answer.status, sentBody).toBe(400);
      expect(answer.json().__type).toBe("com.amazon.coral.service#InvalidSignatureException");
    }
    const listed = await send(
      api.endpoint,
      "POST",
      "/",
      signedHeaders({ host: api.host, region: api.region, keyId: KEY_A.id, secret: KEY_A.secret }),
      "{}",
    );
    expect(listed.json()).toEqual({ stateMachines: [] });
  });
});

describe("credentials never reach the logs", () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString("utf8"));
      done();
    },
  });
  const TASK_SECRET = "task-header-secret-5b1d7a";
  const seenByTarget: Array<string | undefined> = [];
  const target = createServer((req, res) => {
    seenByTarget.push(req.headers.authorization);
    req.resume();
    res.writeHead(500, { "content-type": "application/json" }).end('{"error":"boom"}');
  });
  let api: LiveApi;
  let sfn: SFNClient;
  beforeAll(async () => {
    await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", () => resolve()));
    const targetHost = `127.0.0.1:${(target.address() as AddressInfo).port}`;
    api = await startLiveApi({
      apiEnv: API_ENV,
      runtimeEnv: { STEPWISE_HTTP_ALLOWED_HOSTS: targetHost },
      prepare: (t) => {
        t.runtime.logger = createLogger("trace", "security-test", sink);
        t.worker();
        t.scheduler();
      },
    });
    sfn = new SFNClient({
      endpoint: api.endpoint,
      region: api.region,
      credentials: { accessKeyId: KEY_A.id, secretAccessKey: KEY_A.secret },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    sfn.destroy();
    await api.close();
    target.closeAllConnections();
    await new Promise((resolve) => target.close(resolve));
  });

  it("logs failures and task outcomes without any access key secret, signature, bearer token or task Authorization header", async () => {
    const machine = await sfn.send(
      new CreateStateMachineCommand({
        name: "http-with-secret",
        roleArn: "arn:aws:iam::123456789012:role/r",
        definition: JSON.stringify({
          StartAt: "Call",
          States: {
            Call: {
              Type: "Task",
              Resource: "arn:aws:states:::http:invoke",
              Parameters: {
                ApiEndpoint: `http://127.0.0.1:${(target.address() as AddressInfo).port}/hook`,
                Method: "POST",
                Headers: { "Authorization.$": "States.Format('Bearer {}', $.token)" },
              },
              End: true,
            },
          },
        }),
      }),
    );
    const started = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: machine.stateMachineArn, input: JSON.stringify({ token: TASK_SECRET }) }),
    );
    const { execution } = await api.t.waitFor(started.executionArn as string);
    expect(execution.status).toBe("FAILED");
    expect(seenByTarget).toEqual([`Bearer ${TASK_SECRET}`]);

    // Server faults are logged with their error: neither the AWS nor the REST path adds request headers.
    const fault = vi.spyOn(api.t.runtime.engine, "start").mockRejectedValue(new Error("engine unavailable"));
    const sentAuthorizations: string[] = [];
    const awsHeaders = signedHeaders({
      host: api.host,
      region: api.region,
      keyId: KEY_A.id,
      secret: KEY_A.secret,
      target: "StartExecution",
      body: JSON.stringify({ stateMachineArn: machine.stateMachineArn }),
    });
    sentAuthorizations.push(awsHeaders.authorization as string);
    expect((await send(api.endpoint, "POST", "/", awsHeaders, JSON.stringify({ stateMachineArn: machine.stateMachineArn }))).status).toBe(
      500,
    );
    const rest = await send(
      api.endpoint,
      "POST",
      "/v1/state-machines/http-with-secret/executions",
      { "content-type": "application/json", authorization: `Bearer ${BEARER}` },
      "{}",
    );
    expect(rest.status).toBe(500);
    fault.mockRestore();

    // Refusals are not logged with what was refused either.
    const wrong = signedHeaders({ host: api.host, region: api.region, keyId: KEY_B.id, secret: KEY_A.secret });
    sentAuthorizations.push(wrong.authorization as string);
    expect((await send(api.endpoint, "POST", "/", wrong, "{}")).status).toBe(400);
    expect((await send(api.endpoint, "GET", "/v1/executions", { authorization: "Bearer not-the-token-31c9" })).status).toBe(401);
    await sfn.send(new ListStateMachinesCommand({}));

    const log = lines.join("");
    expect(log).toContain("AWS API request failed");
    expect(log).toContain("REST request failed");
    expect(log).toContain("task handler finished");
    for (const secret of [
      KEY_A.secret,
      KEY_B.secret,
      BEARER,
      "not-the-token-31c9",
      TASK_SECRET,
      ...sentAuthorizations.map((a) => a.split("Signature=")[1] as string),
    ]) {
      expect(log).not.toContain(secret);
    }
    expect(log).not.toMatch(/authorization"\s*:\s*"(?!\[redacted\])/i);
  });

  it("redacts credentials should a log line ever carry a request, headers or configuration", () => {
    const before = lines.length;
    const logger = createLogger("info", "security-test", sink);
    logger.info({ req: { method: "POST", headers: { authorization: `Bearer ${BEARER}`, host: "x" } } }, "request");
    logger.info({ headers: { authorization: `Bearer ${BEARER}` } }, "headers");
    logger.info({ request: { headers: { authorization: `Bearer ${BEARER}` } } }, "nested headers");
    logger.info({ credentials: { accessKeyId: KEY_A.id, secretAccessKey: KEY_A.secret } }, "credentials");
    logger.info(
      {
        config: {
          STEPWISE_ACCESS_KEYS: API_ENV.STEPWISE_ACCESS_KEYS,
          STEPWISE_API_TOKENS: BEARER,
          STEPWISE_KEY_SCOPES: JSON.stringify({ [BEARER]: { stateMachines: ["orders-*"] } }),
        },
      },
      "config",
    );
    const written = lines.slice(before).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(written).toHaveLength(5);
    const text = JSON.stringify(written);
    expect(text).not.toContain(BEARER);
    expect(text).not.toContain(KEY_A.secret);
    expect(written[0]).toMatchObject({ req: { method: "POST", headers: { authorization: "[redacted]", host: "x" } } });
    expect(written[3]).toMatchObject({ credentials: { accessKeyId: KEY_A.id, secretAccessKey: "[redacted]" } });
  });
});
