/**
 * For the security tests: the whole API app on loopback over a real test runtime, requests sent with
 * exactly the headers given (signed as AWS clients sign them, or not), and every route the app serves.
 */
import { createHash } from "node:crypto";
import { request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createTestRuntime, type TestRuntime } from "@stepwise/testkit";
import type { Express } from "express";
import { Registry } from "prom-client";
import { createApiApp } from "./app.ts";
import { canonicalRequest, signature, signingKey, stringToSign } from "./auth/canonical-request.ts";
import { TARGET_PREFIX } from "./aws/actions.ts";
import { loadApiConfig } from "./config.ts";

export interface LiveApi {
  t: TestRuntime;
  app: Express;
  endpoint: string;
  host: string;
  region: string;
  close(): Promise<void>;
}

export interface LiveApiOptions {
  /** The API's environment (authentication is on unless it says otherwise). */
  apiEnv: Record<string, string>;
  runtimeEnv?: Record<string, string>;
  prepare?: (t: TestRuntime) => void;
}

/** The whole API app (probes, REST, console, AWS) as main.ts assembles it, listening on loopback. */
export async function startLiveApi(options: LiveApiOptions): Promise<LiveApi> {
  const t = await createTestRuntime(options.runtimeEnv);
  options.prepare?.(t);
  const config = loadApiConfig({ HOST: "127.0.0.1", STEPWISE_AUTH: "on", ...options.apiEnv });
  const app = createApiApp({ runtime: t.runtime, config, registry: new Registry() });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    t,
    app,
    endpoint: `http://${host}`,
    host,
    region: t.config.STEPWISE_REGION,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await t.close();
    },
  };
}

export interface Answer {
  status: number;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read response fields one by one
  json(): any;
}

/** A request with exactly these headers (node:http, so Host and the body are what was signed or not). */
export function send(
  endpoint: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: string | Buffer = "",
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${endpoint}${path}`,
      { method, headers: { ...headers, "content-length": String(Buffer.byteLength(body)) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({ status: res.statusCode ?? 0, text, json: () => JSON.parse(text) });
        });
        // The event stream never ends on its own: its status is all these tests need.
        if (res.headers["content-type"]?.startsWith("text/event-stream")) {
          res.destroy();
          resolve({ status: res.statusCode ?? 0, text: "", json: () => ({}) });
        }
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const amzDate = (date: Date) =>
  date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");

export interface SignOptions {
  host: string;
  region: string;
  /** The key named in the Credential. */
  keyId: string;
  /** The secret the signature is computed with. */
  secret: string;
  target?: string;
  /** The request body signed (a Buffer for bytes that are not valid UTF-8). */
  body?: string | Buffer;
  date?: Date;
  /** Which of the headers to sign; all of them unless given (as AWS clients do). */
  signed?: readonly string[];
  /** Also sign `x-amz-content-sha256` with the body's hash, as S3-style clients do. */
  contentSha256?: boolean;
}

/** The headers an AWS client sends for a Step Functions call, signed as it signs them. */
export function signedHeaders(options: SignOptions): Record<string, string> {
  const stamp = amzDate(options.date ?? new Date());
  const headers: Record<string, string> = {
    host: options.host,
    "content-type": "application/x-amz-json-1.0",
    "x-amz-date": stamp,
    "x-amz-target": `${TARGET_PREFIX}${options.target ?? "ListStateMachines"}`,
    ...(options.contentSha256
      ? {
          "x-amz-content-sha256": createHash("sha256")
            .update(options.body ?? "{}")
            .digest("hex"),
        }
      : {}),
  };
  const names = [...(options.signed ?? Object.keys(headers))].sort();
  const scope = `${stamp.slice(0, 8)}/${options.region}/states/aws4_request`;
  const canonical = canonicalRequest({
    method: "POST",
    url: "/",
    headers: Object.entries(headers),
    signedHeaders: names,
    body: Buffer.from(options.body ?? "{}"),
  });
  const sig = signature(signingKey(options.secret, stamp.slice(0, 8), options.region, "states"), stringToSign(stamp, scope, canonical));
  return {
    ...headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${options.keyId}/${scope}, SignedHeaders=${names.join(";")}, Signature=${sig}`,
  };
}

export interface Endpoint {
  method: string;
  path: string;
}

export interface RouteLayer {
  name: string;
  rawPath?: string;
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle: { stack?: RouteLayer[] };
}

/** Every route express would dispatch to, with its mount prefix; routers with no routes are static mounts. */
function enumerate(stack: readonly RouteLayer[], prefix = ""): { routes: Endpoint[]; mounts: string[] } {
  const routes: Endpoint[] = [];
  const mounts: string[] = [];
  for (const layer of stack) {
    if (layer.route) {
      // A route may serve several paths (`router.get(["/", "/index.html"], …)`).
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const method of Object.keys(layer.route.methods))
        for (const path of paths) routes.push({ method: method.toUpperCase(), path: `${prefix}${path}` });
      continue;
    }
    const inner = layer.handle.stack;
    if (!inner) continue;
    const mount = `${prefix}${layer.rawPath === "/" || layer.rawPath === undefined ? "" : layer.rawPath}`;
    const found = enumerate(inner, mount);
    if (found.routes.length === 0 && found.mounts.length === 0) mounts.push(mount);
    routes.push(...found.routes);
    mounts.push(...found.mounts);
  }
  return { routes, mounts };
}

/** The path with each `:param` replaced by `values[param]`, or by `sample-<param>`. */
export const concrete = (path: string, values: Record<string, string> = {}) =>
  path.replace(/:(\w+)/g, (_m, name: string) => values[name] ?? `sample-${name}`);
export const label = (e: Endpoint) => `${e.method} ${e.path}`;

/** Every route of the live app, and the mounts that have none (static files). */
export function appRoutes(app: Express): { routes: Endpoint[]; mounts: string[] } {
  return enumerate((app as unknown as { router: { stack: RouteLayer[] } }).router.stack);
}
