/**
 * An attacker at the edges of the live API (real Postgres, Redis, worker; authentication on): replaying
 * a signature with another X-Amz-Target, pointing an HTTP Task at internal addresses hidden in IPv6
 * forms, letting a redirect carry API keys to another origin, names that are paths, spoofs or broken
 * Unicode, and framing or scripting the console. Each attempt must be refused, and nothing reach a
 * server it was not meant for.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Answer, type LiveApi, send, signedHeaders, startLiveApi } from "../live-api.ts";

const KEY = { id: "AKIDEDGES", secret: "edges-secret/K7MDENG+bPxRfiCY" };
const BEARER = "edges-bearer-token-3c9a1f";
const ROLE_ARN = "arn:aws:iam::123456789012:role/edges";
const PASS = JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });

/** The error name of an AWS API answer, without its namespace. */
const errorCode = (answer: Answer): string => String(answer.json().__type).split("#").at(-1) as string;

/** A name as an ASCII-only JSON string, so that a test title cannot itself be a spoof. */
const printable = (name: string) =>
  JSON.stringify(name).replace(/[^\x20-\x7e]/g, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`);

interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
}

/** A loopback server that records every request; `redirectTo` makes it answer 307 to that URL. */
async function recordingServer(redirectTo?: () => string): Promise<{ server: Server; port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? "", headers: req.headers });
    req.resume();
    if (redirectTo) res.writeHead(307, { location: redirectTo() }).end();
    else res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return { server, port: (server.address() as AddressInfo).port, seen };
}

describe("the API's edges, attacked", () => {
  let api: LiveApi;
  let landing: Awaited<ReturnType<typeof recordingServer>>;
  let bouncer: Awaited<ReturnType<typeof recordingServer>>;

  /** An AWS API call signed with the access key; `signed` limits which headers the signature covers. */
  const aws = (target: string, body: string | Buffer | object, signed?: readonly string[]): Promise<Answer> => {
    const payload = typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    const headers = signedHeaders({ host: api.host, region: api.region, keyId: KEY.id, secret: KEY.secret, target, body: payload, signed });
    return send(api.endpoint, "POST", "/", headers, payload);
  };
  const rest = (method: string, path: string, body?: string | Buffer): Promise<Answer> =>
    send(
      api.endpoint,
      method,
      path,
      { authorization: `Bearer ${BEARER}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body,
    );
  const createMachine = async (name: string, definition: string): Promise<string> => {
    const answer = await aws("CreateStateMachine", { name, definition, roleArn: ROLE_ARN });
    expect(answer.status, answer.text).toBe(200);
    return answer.json().stateMachineArn;
  };
  /** Starts an execution and answers its DescribeExecution once it has ended. */
  const runToEnd = async (stateMachineArn: string, input: unknown) => {
    const started = await aws("StartExecution", { stateMachineArn, input: JSON.stringify(input) });
    expect(started.status, started.text).toBe(200);
    await api.t.waitFor(started.json().executionArn, 15_000);
    return (await aws("DescribeExecution", { executionArn: started.json().executionArn })).json();
  };

  beforeAll(async () => {
    landing = await recordingServer();
    // Same host, another port: another origin.
    bouncer = await recordingServer(() => `http://127.0.0.1:${landing.port}/landing`);
    api = await startLiveApi({
      apiEnv: { STEPWISE_ACCESS_KEYS: `${KEY.id}:${KEY.secret}`, STEPWISE_API_TOKENS: BEARER },
      // Any public host, plus exactly the two loopback servers the redirect test calls.
      runtimeEnv: { STEPWISE_HTTP_ALLOWED_HOSTS: `*,127.0.0.1:${bouncer.port},127.0.0.1:${landing.port}` },
      prepare: (t) => {
        t.worker();
      },
    });
  });
  afterAll(async () => {
    await api?.close();
    for (const { server } of [landing, bouncer]) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  describe("a signature that leaves X-Amz-Target out", () => {
    it("cannot be replayed as another action: the DescribeStateMachine signed over Host does not delete the machine", async () => {
      const arn = await createMachine("edges-replayed", PASS);
      const body = JSON.stringify({ stateMachineArn: arn });
      const headers = signedHeaders({
        host: api.host,
        region: api.region,
        keyId: KEY.id,
        secret: KEY.secret,
        target: "DescribeStateMachine",
        body,
        signed: ["host", "x-amz-date"],
      });
      const replayed = await send(api.endpoint, "POST", "/", { ...headers, "x-amz-target": "AWSStepFunctions.DeleteStateMachine" }, body);
      expect(replayed.status).toBe(400);
      expect(errorCode(replayed)).toBe("InvalidSignatureException");
      expect(replayed.json().message).toMatch(/must be a 'SignedHeader' in the AWS Authorization/);
      // Not even the action it was signed for: the target is part of what must be signed.
      expect((await send(api.endpoint, "POST", "/", headers, body)).status).toBe(400);
      const described = await aws("DescribeStateMachine", { stateMachineArn: arn });
      expect(described.json().status).toBe("ACTIVE");
    });
  });

  describe("an HTTP Task under STEPWISE_HTTP_ALLOWED_HOSTS=*", () => {
    const http = JSON.stringify({
      StartAt: "Call",
      States: {
        Call: {
          Type: "Task",
          Resource: "arn:aws:states:::http:invoke",
          Parameters: { "ApiEndpoint.$": "$.url", Method: "GET", "Headers.$": "$.headers" },
          // Bounded even if a refusal were missing and the address swallowed the connection.
          TimeoutSeconds: 5,
          End: true,
        },
      },
    });
    let machineArn: string;
    beforeAll(async () => {
      machineArn = await createMachine("edges-http", http);
    });

    it("refuses addresses that lead to loopback, metadata or other special-purpose ranges before connecting", async () => {
      const port = landing.port;
      const urls = [
        `http://[64:ff9b::7f00:1]:${port}/`, // NAT64 of 127.0.0.1
        "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/", // NAT64 of the metadata service
        `http://[::127.0.0.1]:${port}/`, // IPv4-compatible loopback
        `http://[::ffff:127.0.0.1]:${port}/`, // IPv4-mapped loopback
        `http://[2002:7f00:1::1]:${port}/`, // 6to4 of 127.0.0.1
        "http://198.18.0.1/", // benchmarking
        "http://100.64.0.1/", // shared address space
        "http://169.254.169.254/latest/meta-data/",
        "http://0x7f.1/", // 127.0.0.1 spelled in hex, short form
        `http://localhost:${port}/`,
      ];
      const before = landing.seen.length;
      const outcomes = await Promise.all(urls.map((url) => runToEnd(machineArn, { url, headers: {} })));
      for (const [i, outcome] of outcomes.entries()) {
        expect(outcome.status, urls[i]).toBe("FAILED");
        expect(outcome.error, `${urls[i]}: ${outcome.cause}`).toBe("States.Permissions");
      }
      expect(landing.seen.length).toBe(before);
    });

    it("is not a way around the refusal through TestState, which never calls the endpoint", async () => {
      const before = landing.seen.length;
      const answer = await aws("TestState", {
        definition: JSON.stringify({
          Type: "Task",
          Resource: "arn:aws:states:::http:invoke",
          Parameters: { ApiEndpoint: `http://127.0.0.1:${landing.port}/`, Method: "GET" },
          End: true,
        }),
        roleArn: ROLE_ARN,
        input: "{}",
      });
      expect(answer.status).toBe(400);
      expect(errorCode(answer)).toBe("ValidationException");
      expect(landing.seen.length).toBe(before);
    });

    it("drops every credential-like header when a redirect leaves the origin, and keeps the rest", async () => {
      const credentials = {
        Authorization: "Bearer task-secret",
        "Proxy-Authorization": "Basic cHJveHk=",
        Cookie: "session=abc",
        "X-Api-Key": "api-key-1",
        "X-Auth-Token": "auth-token-2",
        "X-Amz-Security-Token": "sts-token-3",
        "X-Session-Id": "session-4",
        "X-Client-Secret": "client-secret-5",
      };
      const outcome = await runToEnd(machineArn, {
        url: `http://127.0.0.1:${bouncer.port}/start`,
        headers: { ...credentials, "X-Request-Id": "edges-1" },
      });
      expect(outcome.status, outcome.cause).toBe("SUCCEEDED");
      // The first origin, which the state machine named, got them all.
      expect(bouncer.seen.at(-1)?.headers["x-api-key"]).toBe("api-key-1");
      const landed = landing.seen.at(-1);
      expect(landed?.url).toBe("/landing");
      expect(landed?.headers["x-request-id"]).toBe("edges-1");
      for (const name of Object.keys(credentials)) expect(landed?.headers[name.toLowerCase()], name).toBeUndefined();
    });
  });

  describe("hostile names", () => {
    const HOSTILE = ["a/b", "../x", "x\u202egnp.exe", "lrm\u200e", "lone\ud800", "lone\udc00", "nul\u0000", "non\uffff"];

    it.each(HOSTILE.map((name) => [printable(name), name]))("refuses the state machine name %s with InvalidName", async (_, name) => {
      const answer = await aws("CreateStateMachine", { name, definition: PASS, roleArn: ROLE_ARN });
      expect(answer.status).toBe(400);
      expect(errorCode(answer)).toBe("InvalidName");
      expect(answer.json().message).toContain("field 'name'");
    });

    it("stores neither of two names that differ only in a lone surrogate, so they cannot collide", async () => {
      for (const name of ["twin\ud800", "twin\udc00"]) {
        // JSON.stringify writes a lone surrogate as an escape: the raw JSON carries \ud800, not U+FFFD.
        const answer = await aws("CreateStateMachine", JSON.stringify({ name, definition: PASS, roleArn: ROLE_ARN }));
        expect(errorCode(answer)).toBe("InvalidName");
      }
      const listed = await aws("ListStateMachines", {});
      expect(
        listed
          .json()
          .stateMachines.map((m: { name: string }) => m.name)
          .filter((n: string) => n.startsWith("twin")),
      ).toEqual([]);
    });

    it("refuses a body that is not UTF-8 instead of reading its bytes as U+FFFD", async () => {
      const body = Buffer.concat([
        Buffer.from('{"name":"bad'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from(`","definition":${JSON.stringify(PASS)},"roleArn":"${ROLE_ARN}"}`),
      ]);
      const answer = await aws("CreateStateMachine", body);
      expect(answer.status).toBe(400);
      expect(errorCode(answer)).toBe("SerializationException");
      const viaRest = await rest("POST", "/v1/state-machines", body);
      expect(viaRest.status).toBe(400);
      expect(viaRest.json()).toMatchObject({ error: "SerializationException", message: "The request body is not valid UTF-8" });
    });

    it("refuses them for executions, activities and aliases too, and through the REST API", async () => {
      const machineArn = await createMachine("edges-names", PASS);
      for (const name of HOSTILE) {
        const execution = await aws("StartExecution", { stateMachineArn: machineArn, name });
        expect(errorCode(execution), JSON.stringify(name)).toBe("InvalidName");
        const activity = await aws("CreateActivity", { name });
        expect(errorCode(activity), JSON.stringify(name)).toBe("InvalidName");
        const machine = await rest("POST", "/v1/state-machines", JSON.stringify({ name, definition: JSON.parse(PASS) }));
        expect(machine.json().error, JSON.stringify(name)).toBe("InvalidName");
        const started = await rest("POST", "/v1/state-machines/edges-names/executions", JSON.stringify({ name }));
        expect(started.json().error, JSON.stringify(name)).toBe("InvalidName");
      }
      // Alias names are a pattern in AWS's API model: refused as a ValidationException, as AWS answers.
      const published = await aws("PublishStateMachineVersion", { stateMachineArn: machineArn });
      const alias = await aws("CreateStateMachineAlias", {
        name: "a/b",
        routingConfiguration: [{ stateMachineVersionArn: published.json().stateMachineVersionArn, weight: 100 }],
      });
      expect(errorCode(alias)).toBe("ValidationException");
    });
  });

  describe("the console", () => {
    it("cannot be framed, sniffed or made to run inline script, and leaks no Referer", async () => {
      for (const path of ["/console/", "/console/app.js", "/console/missing"]) {
        const answer = await fetch(`${api.endpoint}${path}`);
        await answer.arrayBuffer();
        const policy = answer.headers.get("content-security-policy") ?? "";
        expect(policy, path).toContain("frame-ancestors 'none'");
        expect(policy, path).toContain("script-src 'self'");
        expect(policy, path).toContain("default-src 'self'");
        expect(policy, path).not.toContain("unsafe-inline");
        expect(policy, path).not.toContain("unsafe-eval");
        expect(answer.headers.get("x-content-type-options"), path).toBe("nosniff");
        expect(answer.headers.get("referrer-policy"), path).toBe("no-referrer");
      }
    });
  });
});
