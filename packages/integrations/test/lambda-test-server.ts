/**
 * A Lambda-protocol server for the tests: Lambda's Invoke REST API (`POST
 * /2015-03-31/functions/<name>/invocations`), which @aws-sdk/client-lambda speaks, over functions given as
 * JavaScript. No npm package serves this API on its own (the local Lambda tools run functions, or need the
 * Serverless framework), so this one stays in the tests: a real HTTP server the real SDK talks to, with
 * Lambda's status codes, headers and error documents.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A function: its event in, its answer out; a thrown error is reported as Lambda reports an unhandled one. */
export type TestFunction = (event: unknown) => unknown;

export interface LambdaTestServer {
  url: string;
  /** Invocations received, oldest first: function name, qualifier, invocation type and event. */
  invocations: Array<{ name: string; qualifier: string | undefined; type: string; event: unknown }>;
  close(): Promise<void>;
}

const INVOKE = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

export async function startLambdaTestServer(functions: Readonly<Record<string, TestFunction>>): Promise<LambdaTestServer> {
  const invocations: LambdaTestServer["invocations"] = [];
  const server = createServer((req, res) => {
    void answer(req, res).catch((error: unknown) => send(res, 500, { "x-amzn-errortype": "ServiceException" }, { message: String(error) }));
  });
  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const match = INVOKE.exec(url.pathname);
    if (req.method !== "POST" || !match) return send(res, 404, { "x-amzn-errortype": "UnknownOperationException" }, {});
    // The SDK sends the name, a partial or a full ARN; the function's name is what follows `function:`.
    const requested = decodeURIComponent(match[1] as string);
    const name = /function:([^:]+)/.exec(requested)?.[1] ?? requested;
    const fn = Object.hasOwn(functions, name) ? functions[name] : undefined;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf-8");
    if (!fn) {
      return send(
        res,
        404,
        { "x-amzn-errortype": "ResourceNotFoundException" },
        {
          Type: "User",
          message: `Function not found: arn:aws:lambda:us-east-1:000000000000:function:${name}`,
        },
      );
    }
    const type = String(req.headers["x-amz-invocation-type"] ?? "RequestResponse");
    const event: unknown = text === "" ? {} : JSON.parse(text);
    invocations.push({ name, qualifier: url.searchParams.get("Qualifier") ?? undefined, type, event });
    const version = { "x-amz-executed-version": "$LATEST" };
    if (type === "Event") {
      setImmediate(() => {
        try {
          fn(event);
        } catch {
          // An asynchronous invocation's error reaches nobody: Lambda would retry it, then drop it.
        }
      });
      return send(res, 202, {}, undefined);
    }
    try {
      send(res, 200, version, (await fn(event)) ?? null);
    } catch (error) {
      const failure = error as Error;
      send(
        res,
        200,
        { ...version, "x-amz-function-error": "Unhandled" },
        {
          errorType: failure.name,
          errorMessage: failure.message,
          trace: [],
        },
      );
    }
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    invocations,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "x-amzn-requestid": crypto.randomUUID(),
    ...headers,
  });
  res.end(text);
}
