/**
 * Property-based fuzzing of the REST API under /v1 on a live app (real Redis and Postgres): random
 * methods, paths, query strings and bodies must never cause a 5xx, and every 4xx names its error.
 * The AWS JSON protocol has its own fuzz test in aws/protocol.test.ts.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AwsTestServer, startAwsTestServer } from "./aws/test-server.ts";
import { startTestApi, type TestApi } from "./rest/test-api.ts";

const SEED = 20_261_125;
const MAX_REQUEST_BYTES = 65_536;
const MACHINE = "fuzzed";
const MACHINE_ARN = `arn:aws:states:us-east-1:123456789012:stateMachine:${MACHINE}`;
const pass = { StartAt: "P", States: { P: { Type: "Pass", End: true } } };

interface Answer {
  status: number;
  contentType: string | null;
  text: string;
}

async function send(endpoint: string, method: string, path: string, body?: string, contentType = "application/json"): Promise<Answer> {
  const response = await fetch(`${endpoint}/v1${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": contentType },
    ...(body === undefined ? {} : { body }),
  });
  return { status: response.status, contentType: response.headers.get("content-type"), text: await response.text() };
}

/** No 5xx, and a 4xx is JSON with a non-empty `error` name. */
function expectNamedAnswer(answer: Answer, what: string): void {
  expect(answer.status, `${what} → ${answer.status} ${answer.text.slice(0, 300)}`).toBeLessThan(500);
  if (answer.status >= 400) {
    expect(answer.contentType, what).toMatch(/^application\/json/);
    const body = JSON.parse(answer.text) as { error?: unknown };
    expect(typeof body.error, `${what} → ${answer.text.slice(0, 300)}`).toBe("string");
    expect((body.error as string).length).toBeGreaterThan(0);
  }
}

/** JSON text nested `depth` objects deep, built as text: JSON.stringify itself overflows past ~4,500 levels. */
function nestedText(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
}

describe("REST API fuzz", () => {
  let api: TestApi;
  let executionArn: string;
  beforeAll(async () => {
    api = await startTestApi({ apiEnv: { STEPWISE_MAX_REQUEST_BYTES: String(MAX_REQUEST_BYTES) } });
    expect((await api.call("POST", "/state-machines", { name: MACHINE, definition: pass })).status).toBe(201);
    const started = await api.call("POST", `/state-machines/${MACHINE}/executions`, { name: "e1", input: { a: 1 } });
    executionArn = started.body.executionArn;
  }, 30_000);
  afterAll(() => api?.close());

  const segment = () =>
    fc.oneof(
      fc.constantFrom(
        MACHINE,
        "nope",
        "__proto__",
        "constructor",
        "prototype",
        "%2F",
        "..",
        "%00",
        "%E0%A4%A",
        "a%20b",
        "😀",
        "x".repeat(300),
      ),
      fc
        .constantFrom(MACHINE_ARN, "arn:aws:states:us-east-1:123456789012:execution:fuzzed:e1", "arn:aws:states:::nope")
        .map(encodeURIComponent),
      fc.constant("EXECUTION"),
      fc.string({ maxLength: 12 }).map(encodeURIComponent),
      fc.string({ maxLength: 12 }),
    );
  const path = fc
    .tuple(
      fc.constantFrom(
        "/state-machines",
        "/state-machines/{}",
        "/state-machines/{}/executions",
        "/state-machines/{}/validate",
        "/executions",
        "/executions/{}",
        "/executions/{}/history",
        "/executions/{}/stop",
        "/executions/{}/redrive",
        "/tasks/{}/success",
        "/tasks/{}/failure",
        "/tasks/{}/heartbeat",
        "/{}",
        "/{}/{}",
      ),
      segment(),
      segment(),
      fc.array(
        fc.tuple(
          fc.constantFrom("maxResults", "nextToken", "status", "name", "reverse", "limit", "after", "__proto__", "constructor[prototype]"),
          fc.oneof(
            fc.constantFrom("0", "1", "1000", "1001", "-1", "true", "RUNNING", "nope", "1e3", "9".repeat(30)),
            fc.string({ maxLength: 8 }),
          ),
        ),
        { maxLength: 3 },
      ),
    )
    .map(([template, a, b, query]) => {
      const filled = template
        .replace("{}", a)
        .replace("{}", b)
        .replace("EXECUTION", encodeURIComponent(executionArn ?? ""));
      const search = query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
      return search ? `${filled}?${search}` : filled;
    });
  const field = fc.constantFrom(
    "name",
    "definition",
    "input",
    "output",
    "error",
    "cause",
    "roleArn",
    "type",
    "__proto__",
    "constructor",
    "prototype",
  );
  const value = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.constant(pass),
    fc.constant(JSON.stringify(pass)),
    fc.constant({ StartAt: "X", States: { X: { Type: "Nope" } } }),
    fc.string({ maxLength: 40 }),
    fc.constant(JSON.parse('{"__proto__": {"polluted": true}}')),
  );
  const body = fc.oneof(
    fc.constant(undefined),
    fc.dictionary(field, value, { maxKeys: 5 }).map((o) => JSON.stringify(o)),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 100 }),
    fc.constantFrom(
      "{",
      "null",
      '"text"',
      "[]",
      '{"__proto__": {"polluted": true}, "name": "p"}',
      '{"constructor": {"prototype": {"polluted": true}}}',
    ),
  );
  const method = fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");
  const contentType = fc.constantFrom(
    "application/json",
    "text/plain",
    "application/x-www-form-urlencoded",
    "application/json; charset=latin1",
  );

  it("random requests under /v1 never answer 5xx, and every 4xx is a named JSON error", async () => {
    await fc.assert(
      fc.asyncProperty(method, path, body, contentType, async (m, p, b, ct) => {
        // A GET on the event stream of a live execution would stream; everything else answers.
        if (p.includes("/events/stream")) return;
        const withBody = m === "GET" || m === "HEAD" ? undefined : b;
        const answer = await send(api.endpoint, m, p, withBody, ct);
        if (m === "HEAD") expect(answer.status).toBeLessThan(500);
        else expectNamedAnswer(answer, `${m} ${p} ${ct} ${withBody?.slice(0, 200)}`);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it("bodies over the request limit are refused with 413 ValidationException", async () => {
    const big = JSON.stringify({ name: "big", definition: pass, input: { s: "x".repeat(MAX_REQUEST_BYTES) } });
    for (const p of ["/state-machines", `/state-machines/${MACHINE}/executions`, `/state-machines/${MACHINE}/validate`]) {
      const answer = await send(api.endpoint, "POST", p, big);
      expectNamedAnswer(answer, p);
      expect(answer.status).toBe(413);
    }
  });

  it("deeply nested definitions, inputs and outputs never cause a 5xx", async () => {
    for (const depth of [1_000, 10_000]) {
      const deep = nestedText(depth);
      const definition = `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": ${deep}, "End": true}}}`;
      const requests: [string, string][] = [
        [`/state-machines/${MACHINE}/executions`, `{"input": ${deep}}`],
        ["/state-machines", `{"name": "deep-${depth}", "definition": ${definition}}`],
        ["/state-machines", `{"name": "deep-text-${depth}", "definition": ${JSON.stringify(definition)}}`],
        [`/state-machines/${MACHINE}/validate`, `{"definition": ${deep}}`],
        ["/tasks/t/success", `{"output": ${deep}}`],
      ];
      for (const [p, b] of requests) expectNamedAnswer(await send(api.endpoint, "POST", p, b), `depth ${depth} ${p}`);
    }
  });

  it("U+0000 in names, ARNs, tokens, queries and inputs is a 4xx, not a 5xx", async () => {
    const nul = encodeURIComponent("\u0000");
    const requests: [string, string, string | undefined][] = [
      ["GET", `/state-machines/${nul}`, undefined],
      ["GET", `/executions/${encodeURIComponent(`${executionArn}\u0000`)}`, undefined],
      ["GET", `/executions?name=${nul}`, undefined],
      ["POST", `/tasks/${nul}/success`, '{"output": 1}'],
      ["POST", `/tasks/${nul}/heartbeat`, "{}"],
      ["POST", `/state-machines/${MACHINE}/executions`, '{"name": "nul-input", "input": {"s": "\\u0000"}}'],
    ];
    for (const [m, p, b] of requests) expectNamedAnswer(await send(api.endpoint, m, p, b), `${m} ${p} ${b}`);
  });

  it("prototype keys in bodies stay data: a machine and an execution take them as JSON", async () => {
    const input = '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}';
    const started = await send(api.endpoint, "POST", `/state-machines/${MACHINE}/executions`, `{"name": "proto", "input": ${input}}`);
    expect(started.status).toBe(201);
    const arn = JSON.parse(started.text).executionArn as string;
    const described = await api.call("GET", `/executions/${encodeURIComponent(arn)}`);
    expect(described.status).toBe(200);
    expect(JSON.stringify(described.body.input)).toBe(JSON.stringify(JSON.parse(input)));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("AWS protocol and U+0000", () => {
  let s: AwsTestServer;
  beforeAll(async () => {
    s = await startAwsTestServer({ apiEnv: { STEPWISE_AUTH: "off" } });
  }, 30_000);
  afterAll(() => s?.close());

  it("an ARN or input holding U+0000 is a ValidationException, not an InternalFailure", async () => {
    const requests: [string, unknown][] = [
      ["DescribeStateMachine", { stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:\u0000" }],
      ["DescribeExecution", { executionArn: "arn:aws:states:us-east-1:123456789012:execution:m:\u0000" }],
      ["ListExecutions", { stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:\u0000" }],
    ];
    for (const [action, body] of requests) {
      const response = await fetch(`${s.endpoint}/`, {
        method: "POST",
        headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": `AWSStepFunctions.${action}` },
        body: JSON.stringify(body),
      });
      const answer = (await response.json()) as { __type: string };
      expect(response.status, action).toBe(400);
      expect(answer.__type, action).toBe("com.amazonaws.swf.service.v2.model#ValidationException");
    }
  });
});
