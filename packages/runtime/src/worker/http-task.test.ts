import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Json } from "@stepwise/asl";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type HttpTaskOptions, httpTaskHandler } from "./http-task.ts";
import { type TaskContext, TaskFailure } from "./task-handler.ts";

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A loopback server that records what it was sent and answers by path. */
function startServer(route: (req: IncomingMessage, res: ServerResponse, seen: Seen) => void) {
  const seen: Seen[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const record = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString() };
      seen.push(record);
      if (req.url === "/hang") {
        hanging.add(res);
        res.on("close", () => hanging.delete(res));
        return;
      }
      route(req, res, record);
    });
  });
  return {
    seen,
    hanging,
    listen: () =>
      new Promise<string>((resolve) =>
        server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
      ),
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(value));
}

const main = startServer((req, res, seen) => {
  const url = new URL(req.url ?? "/", "http://x");
  switch (url.pathname) {
    case "/echo":
      return json(res, 200, seen);
    case "/text":
      res.writeHead(200, { "content-type": "text/plain", "x-trace": "abc" });
      return res.end("hello world");
    case "/not-json":
      res.writeHead(200, { "content-type": "application/json" });
      return res.end("{oops");
    case "/missing":
      res.writeHead(404, { "content-type": "text/plain" });
      return res.end("no such thing");
    case "/redirect":
      res.writeHead(Number(url.searchParams.get("status") ?? 302), { location: url.searchParams.get("to") ?? "/" });
      return res.end();
    case "/loop":
      res.writeHead(302, { location: "/loop" });
      return res.end();
    case "/big": {
      // Chunked, so only counting the bytes read can catch it.
      res.writeHead(200, { "content-type": "text/plain" });
      const chunk = Buffer.alloc(1024 * 1024, "a");
      for (let i = 0; i < 10; i++) res.write(chunk);
      return res.end("!");
    }
    default:
      return json(res, 500, { unexpected: req.url });
  }
});
const other = startServer((_req, res, seen) => json(res, 200, { other: true, seen }));

let base = "";
let otherBase = "";
let otherPort = "";

beforeAll(async () => {
  base = await main.listen();
  otherBase = await other.listen();
  otherPort = new URL(otherBase).port;
});
afterAll(async () => {
  await main.close();
  await other.close();
});
beforeEach(() => {
  main.seen.length = 0;
  other.seen.length = 0;
});

function context(signal: AbortSignal = new AbortController().signal): TaskContext {
  return {
    signal,
    executionArn: "arn:aws:states:us-east-1:123456789012:execution:sm:run",
    stateName: "Call",
    taskId: "00000000-0000-4000-8000-000000000000",
    resource: "arn:aws:states:::http:invoke",
    heartbeat: async () => {},
    deferCompletion: async () => {},
  };
}

function call(input: Json, allowedHosts = "127.0.0.1", options?: HttpTaskOptions, signal?: AbortSignal) {
  return Promise.resolve(httpTaskHandler(allowedHosts, options)(input, context(signal)));
}

async function failure(promise: Promise<unknown>): Promise<TaskFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TaskFailure);
  return error as TaskFailure;
}

describe("httpTaskHandler against a loopback server", () => {
  it("sends a GET with query parameters and returns the parsed JSON result", async () => {
    const result = (await call({
      ApiEndpoint: `${base}/echo?keep=1`,
      Method: "GET",
      QueryParameters: { q: "a b", tag: ["x", "y"], n: 3 },
    })) as Record<string, Json>;
    expect(result.StatusCode).toBe(200);
    expect(result.StatusText).toBe("OK");
    expect(result.Headers).toMatchObject({ "content-type": ["application/json; charset=utf-8"] });
    expect(result.ResponseBody).toMatchObject({ method: "GET", url: "/echo?keep=1&q=a+b&tag=x&tag=y&n=3", body: "" });
    expect(Object.keys(result).sort()).toEqual(["Headers", "ResponseBody", "StatusCode", "StatusText"]);
  });

  it("POSTs a JSON RequestBody as application/json", async () => {
    const result = (await call({ ApiEndpoint: `${base}/echo`, Method: "POST", RequestBody: { order: { id: 7, items: ["a"] } } })) as Record<
      string,
      Json
    >;
    const seen = main.seen[0];
    expect(seen?.method).toBe("POST");
    expect(seen?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(seen?.body ?? "")).toEqual({ order: { id: 7, items: ["a"] } });
    expect(result.StatusCode).toBe(200);
  });

  it("sends a URL_ENCODED RequestBody as a form, arrays in the chosen format", async () => {
    await call({
      ApiEndpoint: `${base}/echo`,
      Method: "PUT",
      RequestBody: { name: "Ada Lovelace", langs: ["en", "fr"] },
      Transform: { RequestBodyEncoding: "URL_ENCODED", RequestEncodingOptions: { ArrayFormat: "BRACKETS" } },
    });
    const seen = main.seen[0];
    expect(seen?.method).toBe("PUT");
    expect(seen?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(seen?.body).toBe("name=Ada+Lovelace&langs%5B%5D=en&langs%5B%5D=fr");
  });

  it("passes Headers through, credentials included", async () => {
    await call({
      ApiEndpoint: `${base}/echo`,
      Method: "GET",
      Headers: { Authorization: "Bearer s3cret", "X-Request-Id": "r-1", "X-Count": 2 },
    });
    expect(main.seen[0]?.headers).toMatchObject({ authorization: "Bearer s3cret", "x-request-id": "r-1", "x-count": "2" });
  });

  it("returns a text body as a string, with the response headers as lists", async () => {
    const result = (await call({ ApiEndpoint: `${base}/text`, Method: "GET" })) as Record<string, Json>;
    expect(result.ResponseBody).toBe("hello world");
    expect(result.Headers).toMatchObject({ "x-trace": ["abc"], "content-type": ["text/plain"] });
  });

  it("keeps a body that claims to be JSON but is not as text", async () => {
    const result = (await call({ ApiEndpoint: `${base}/not-json`, Method: "GET" })) as Record<string, Json>;
    expect(result.ResponseBody).toBe("{oops");
  });

  it("fails a 404 with States.Http.StatusCode.404 and the body as cause", async () => {
    const error = await failure(call({ ApiEndpoint: `${base}/missing`, Method: "GET" }));
    expect(error.error).toBe("States.Http.StatusCode.404");
    expect(error.causeText).toBe("no such thing");
  });

  it("refuses a host that is not on the allow-list without sending anything", async () => {
    const error = await failure(
      call({ ApiEndpoint: `${otherBase.replace("127.0.0.1", "localhost")}/echo`, Method: "GET" }, `127.0.0.1:${new URL(base).port}`),
    );
    expect(error.error).toBe("States.Permissions");
    expect(error.causeText).toContain(`'localhost:${otherPort}' is not in STEPWISE_HTTP_ALLOWED_HOSTS`);
    expect(other.seen).toEqual([]);
  });

  it("refuses everything when the allow-list is empty", async () => {
    const error = await failure(call({ ApiEndpoint: `${base}/echo`, Method: "GET" }, ""));
    expect(error.error).toBe("States.Permissions");
    expect(main.seen).toEqual([]);
  });

  it("refuses a redirect to a host that is not on the allow-list", async () => {
    const to = `http://localhost:${otherPort}/echo`;
    const error = await failure(call({ ApiEndpoint: `${base}/redirect?to=${encodeURIComponent(to)}`, Method: "GET" }));
    expect(error.error).toBe("States.Permissions");
    expect(error.causeText).toContain(`'localhost:${otherPort}'`);
    expect(main.seen).toHaveLength(1);
    expect(other.seen).toEqual([]);
  });

  it("follows a redirect to an allowed host, dropping credentials when the origin changes and POST becoming GET", async () => {
    const to = `${otherBase}/landing`;
    const result = (await call({
      ApiEndpoint: `${base}/redirect?status=302&to=${encodeURIComponent(to)}`,
      Method: "POST",
      Headers: { Authorization: "Bearer s3cret", "X-Request-Id": "r-2" },
      RequestBody: { a: 1 },
    })) as Record<string, Json>;
    expect(result.StatusCode).toBe(200);
    expect(result.ResponseBody).toMatchObject({ other: true });
    const landed = other.seen[0];
    expect(landed?.method).toBe("GET");
    expect(landed?.body).toBe("");
    expect(landed?.headers["x-request-id"]).toBe("r-2");
    expect(landed?.headers.authorization).toBeUndefined();
  });

  it("drops every credential-like header, whatever its name, when a 307 leaves the origin", async () => {
    const credentials = {
      Authorization: "Bearer s3cret",
      "Proxy-Authorization": "Basic cHJveHk=",
      Cookie: "sid=abc",
      "X-Api-Key": "key-1",
      "X-Auth-Token": "tok-2",
      "Private-Token": "tok-3",
      "X-Amz-Security-Token": "tok-4",
      "X-Session-Id": "sess-5",
      "X-Client-Secret": "sec-6",
      "X-Signature": "sig-7",
      "X-Credential": "cred-8",
    };
    const to = `${otherBase}/landing`;
    const result = (await call({
      ApiEndpoint: `${base}/redirect?status=307&to=${encodeURIComponent(to)}`,
      Method: "GET",
      Headers: { ...credentials, "X-Request-Id": "r-3", Accept: "application/json" },
    })) as Record<string, Json>;
    expect(result.StatusCode).toBe(200);
    const landed = other.seen.at(-1);
    expect(landed?.headers["x-request-id"]).toBe("r-3");
    expect(landed?.headers.accept).toBe("application/json");
    for (const name of Object.keys(credentials)) expect(landed?.headers[name.toLowerCase()], name).toBeUndefined();
  });

  it("keeps method, body and credentials through a same-origin 307", async () => {
    const result = (await call({
      ApiEndpoint: `${base}/redirect?status=307&to=%2Fecho`,
      Method: "POST",
      Headers: { Authorization: "Bearer s3cret", "X-Api-Key": "key-1" },
      RequestBody: { a: 1 },
    })) as Record<string, Json>;
    expect(result.ResponseBody).toMatchObject({
      method: "POST",
      url: "/echo",
      body: '{"a":1}',
      headers: { authorization: "Bearer s3cret", "x-api-key": "key-1" },
    });
  });

  it("gives up after 5 redirects with States.Http.Socket", async () => {
    const error = await failure(call({ ApiEndpoint: `${base}/loop`, Method: "GET" }));
    expect(error.error).toBe("States.Http.Socket");
    expect(error.causeText).toContain("redirected more than 5 times");
    expect(main.seen).toHaveLength(6);
  });

  it("refuses a private address that is not listed exactly, even when * allows any host", async () => {
    const error = await failure(call({ ApiEndpoint: `${base}/echo`, Method: "GET" }, "*"));
    expect(error.error).toBe("States.Permissions");
    expect(error.causeText).toContain("private, loopback, link-local");
    expect(main.seen).toEqual([]);
  });

  it("refuses, under *, a host name that resolves to a private address", async () => {
    const error = await failure(call({ ApiEndpoint: `${base.replace("127.0.0.1", "localhost")}/echo`, Method: "GET" }, "*"));
    expect(error.error).toBe("States.Permissions");
    expect(main.seen).toEqual([]);
  });

  it("rejects with the abort reason when the context signal fires mid-request", async () => {
    const controller = new AbortController();
    const pending = call({ ApiEndpoint: `${base}/hang`, Method: "GET" }, "127.0.0.1", {}, controller.signal);
    await expect.poll(() => main.hanging.size).toBe(1);
    const reason = new Error("execution stopped");
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await expect.poll(() => main.hanging.size).toBe(0);
  });

  it("fails with States.Http.Socket when the call takes longer than the timeout", async () => {
    const error = await failure(call({ ApiEndpoint: `${base}/hang`, Method: "GET" }, "127.0.0.1", { timeoutMs: 200 }));
    expect(error.error).toBe("States.Http.Socket");
    expect(error.causeText).toContain("timed out after 0.2 seconds");
  });

  it("fails with States.Http.Socket when the connection is refused", async () => {
    const closed = startServer(() => {});
    const closedBase = await closed.listen();
    await closed.close();
    const error = await failure(call({ ApiEndpoint: `${closedBase}/echo`, Method: "GET" }));
    expect(error.error).toBe("States.Http.Socket");
    expect(error.causeText).toContain("ECONNREFUSED");
  });

  it("refuses a response body larger than 10 MiB", async () => {
    const error = await failure(call({ ApiEndpoint: `${base}/big`, Method: "GET" }));
    expect(error.error).toBe("States.DataLimitExceeded");
    expect(error.causeText).toContain(String(10 * 1024 * 1024));
  });

  it("fails malformed input with States.Runtime before any request", async () => {
    const error = await failure(call({ ApiEndpoint: `${base}/echo`, Method: "FETCH" }));
    expect(error.error).toBe("States.Runtime");
    expect(error.causeText).toContain("'Method'");
    expect(main.seen).toEqual([]);
  });
});
