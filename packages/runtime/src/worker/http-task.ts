/**
 * The built-in handler for AWS Step Functions' HTTP Task (`arn:aws:states:::http:invoke`).
 *
 * Result: `{ Headers, ResponseBody, StatusCode, StatusText }`. Errors use AWS's names: a non-2xx answer
 * fails with `States.Http.StatusCode.<code>` (the response body as cause), a connection failure or the
 * 60-second limit with `States.Http.Socket`, malformed input with `States.Runtime`. A host outside
 * STEPWISE_HTTP_ALLOWED_HOSTS, at the start or after any redirect, fails with `States.Permissions`.
 */
import { lookup as dnsLookup } from "node:dns/promises";
import { dropCredentialHeaders } from "./credential-headers.ts";
import { assertTargetAllowed, type LookupAddresses, parseAllowedHosts } from "./http-allow-list.ts";
import { type HttpRequestSpec, parseHttpRequest } from "./http-request.ts";
import { readHttpResponse } from "./http-response.ts";
import { TaskFailure, type TaskHandler } from "./task-handler.ts";

export interface HttpTaskOptions {
  fetch?: typeof fetch;
  /** DNS resolution for hosts allowed only by a `*` entry (checked against internal addresses). */
  lookup?: LookupAddresses;
  /** The whole call, redirects and body included; AWS's HTTP Task allows 60 seconds. */
  timeoutMs?: number;
  maxResponseBytes?: number;
}

const defaultTimeoutMs = 60_000;
const defaultMaxResponseBytes = 10 * 1024 * 1024;
const maxRedirects = 5;
const redirectStatuses = new Set([301, 302, 303, 307, 308]);

const systemLookup: LookupAddresses = async (hostname) => (await dnsLookup(hostname, { all: true })).map((entry) => entry.address);

/**
 * @param allowedHosts comma-separated host names (`api.example.com`), subdomain patterns
 *   (`*.example.com`) or `*` for any public host, each optionally with `:port`; empty allows nothing.
 */
export function httpTaskHandler(allowedHosts: string, options: HttpTaskOptions = {}): TaskHandler {
  const allowed = parseAllowedHosts(allowedHosts);
  const doFetch = options.fetch ?? fetch;
  const lookup = options.lookup ?? systemLookup;
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const maxResponseBytes = options.maxResponseBytes ?? defaultMaxResponseBytes;

  /** Sends the request, following redirects only to allowed hosts. */
  async function send(spec: HttpRequestSpec, signal: AbortSignal, traceparent: string | undefined): Promise<Response> {
    let { url, method, body } = spec;
    const headers = new Headers(spec.headers);
    // A traced execution's trace goes on to the endpoint (W3C Trace Context), unless the state machine set its own.
    if (traceparent && !headers.has("traceparent")) headers.set("traceparent", traceparent);
    for (let redirects = 0; ; redirects++) {
      await assertTargetAllowed(allowed, url, lookup);
      const response = await doFetch(url, { method, headers, body, redirect: "manual", signal });
      const location = response.headers.get("location");
      if (!redirectStatuses.has(response.status) || location === null) return response;
      await response.body?.cancel();
      if (redirects === maxRedirects) {
        throw new TaskFailure(
          "States.Http.Socket",
          `The HTTP request to '${spec.url.href}' was redirected more than ${maxRedirects} times.`,
        );
      }
      const next = new URL(location, url);
      next.hash = "";
      // As browsers do: 303 turns anything but HEAD into GET, and 301/302 turn POST into GET.
      if ((response.status === 303 && method !== "HEAD") || (method === "POST" && response.status <= 302)) {
        method = "GET";
        body = undefined;
        headers.delete("content-type");
      }
      // Credentials the state machine put in Headers are meant for the origin it named, not wherever that sends us.
      if (next.origin !== url.origin) dropCredentialHeaders(headers);
      url = next;
    }
  }

  return async (input, context) => {
    const spec = parseHttpRequest(input);
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = AbortSignal.any([context.signal, timeout]);
    try {
      const { result, text } = await readHttpResponse(await send(spec, signal, context.trace?.traceparent), maxResponseBytes);
      if (result.StatusCode < 200 || result.StatusCode > 299) throw new TaskFailure(`States.Http.StatusCode.${result.StatusCode}`, text);
      return result;
    } catch (error) {
      // Stopped, timed out by the state or cancelled by a failing sibling: the engine has moved on.
      if (context.signal.aborted) throw context.signal.reason;
      if (error instanceof TaskFailure) throw error;
      if (timeout.aborted) {
        throw new TaskFailure("States.Http.Socket", `The HTTP request to '${spec.url.href}' timed out after ${timeoutMs / 1000} seconds.`);
      }
      throw new TaskFailure("States.Http.Socket", `The HTTP request to '${spec.url.href}' failed: ${describe(error)}`);
    }
  };
}

/** fetch's "fetch failed" says little; the reason (ECONNREFUSED, a TLS error...) is in its cause. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? error.cause.message : error.message;
}
