/**
 * The HTTP Task's input (the state's Parameters/Arguments, as for `arn:aws:states:::http:invoke`) checked
 * and turned into a request. Malformed input fails with States.Runtime naming the field.
 *
 * `Authentication` (an EventBridge ConnectionArn on AWS) is accepted and ignored: Stepwise has no
 * connections, so credentials go in `Headers` (e.g. `"Authorization.$": "$.token"`), and are dropped when
 * a redirect leaves the origin.
 */
import { isJsonObject, type Json, type JsonObject } from "@stepwise/asl";
import { type ArrayFormat, arrayFormats, formEncode, formPairs } from "./http-form-encoding.ts";
import { TaskFailure } from "./task-handler.ts";

export const httpMethods = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"] as const;
export type HttpMethod = (typeof httpMethods)[number];

export interface HttpRequestSpec {
  url: URL;
  method: HttpMethod;
  headers: Headers;
  body?: string;
}

const fields = ["ApiEndpoint", "Method", "Authentication", "Headers", "QueryParameters", "RequestBody", "Transform"];

// Headers that describe the connection or message framing, which the HTTP client owns.
const forbiddenHeaders = new Set([
  "host",
  "content-length",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "expect",
  "proxy-connection",
]);

export function parseHttpRequest(input: Json): HttpRequestSpec {
  if (!isJsonObject(input)) throw invalid("The HTTP Task input must be a JSON object with the fields ApiEndpoint and Method.");
  const unknown = Object.keys(input).find((key) => !fields.includes(key));
  if (unknown !== undefined) throw invalid(`The field '${unknown}' is not supported by the HTTP Task (supported: ${fields.join(", ")}).`);

  const url = parseEndpoint(input.ApiEndpoint);
  const method = input.Method;
  if (typeof method !== "string" || !(httpMethods as readonly string[]).includes(method)) {
    throw invalid(`The field 'Method' must be one of ${httpMethods.join(", ")}.`);
  }
  if (input.Authentication !== undefined && !isJsonObject(input.Authentication)) {
    throw invalid("The field 'Authentication' must be an object.");
  }
  for (const [name, value] of scalarEntries(input.QueryParameters, "QueryParameters")) url.searchParams.append(name, value);
  const headers = parseHeaders(input.Headers);
  const encoding = parseTransform(input.Transform);
  const spec: HttpRequestSpec = { url, method: method as HttpMethod, headers };
  if (input.RequestBody === undefined) return spec;

  if (method === "GET" || method === "HEAD") throw invalid(`The field 'RequestBody' cannot be sent with ${method}.`);
  const body = input.RequestBody;
  if (encoding.form) {
    if (!isJsonObject(body)) throw invalid("The field 'RequestBody' must be an object to be URL_ENCODED.");
    setDefaultHeader(headers, "content-type", "application/x-www-form-urlencoded");
    return { ...spec, body: formEncode(body, encoding.arrayFormat) };
  }
  if (typeof body === "string") return { ...spec, body };
  setDefaultHeader(headers, "content-type", "application/json");
  return { ...spec, body: JSON.stringify(body) };
}

function parseEndpoint(value: Json | undefined): URL {
  if (typeof value !== "string") throw invalid("The field 'ApiEndpoint' is required and must be a string.");
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(`The field 'ApiEndpoint' must be an absolute http or https URL, not '${value}'.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw invalid(`The field 'ApiEndpoint' must be an http or https URL, not '${url.protocol}'.`);
  }
  if (url.username !== "" || url.password !== "") {
    throw invalid("The field 'ApiEndpoint' must not contain a user name or password; send credentials in Headers.");
  }
  url.hash = "";
  return url;
}

function parseHeaders(value: Json | undefined): Headers {
  const headers = new Headers();
  if (value === undefined) return headers;
  if (!isJsonObject(value)) throw invalid("The field 'Headers' must be an object.");
  for (const [name, headerValue] of Object.entries(value)) {
    if (forbiddenHeaders.has(name.toLowerCase())) throw invalid(`The header '${name}' cannot be set in the field 'Headers'.`);
    if (headerValue === null || typeof headerValue === "object") {
      throw invalid(`The header '${name}' in the field 'Headers' must be a string, number or boolean.`);
    }
    try {
      headers.set(name, String(headerValue));
    } catch {
      throw invalid(`The header '${name}' in the field 'Headers' is not a valid header name and value.`);
    }
  }
  return headers;
}

/** Query parameters: scalars, or arrays of them repeated under the same key. */
function scalarEntries(value: Json | undefined, field: string): [string, string][] {
  if (value === undefined) return [];
  if (!isJsonObject(value)) throw invalid(`The field '${field}' must be an object.`);
  const nested = Object.entries(value).find(([, v]) =>
    Array.isArray(v) ? v.some((item) => item !== null && typeof item === "object") : isJsonObject(v),
  );
  if (nested !== undefined) throw invalid(`The parameter '${nested[0]}' in the field '${field}' must be a scalar or an array of scalars.`);
  return formPairs(value as JsonObject, "REPEAT");
}

function parseTransform(value: Json | undefined): { form: boolean; arrayFormat: ArrayFormat } {
  if (value === undefined) return { form: false, arrayFormat: "INDICES" };
  if (!isJsonObject(value)) throw invalid("The field 'Transform' must be an object.");
  const encoding = value.RequestBodyEncoding ?? "NONE";
  if (encoding !== "NONE" && encoding !== "URL_ENCODED") {
    throw invalid("The field 'Transform.RequestBodyEncoding' must be NONE or URL_ENCODED.");
  }
  const options = value.RequestEncodingOptions ?? {};
  if (!isJsonObject(options)) throw invalid("The field 'Transform.RequestEncodingOptions' must be an object.");
  const arrayFormat = options.ArrayFormat ?? "INDICES";
  if (typeof arrayFormat !== "string" || !(arrayFormats as readonly string[]).includes(arrayFormat)) {
    throw invalid(`The field 'Transform.RequestEncodingOptions.ArrayFormat' must be one of ${arrayFormats.join(", ")}.`);
  }
  return { form: encoding === "URL_ENCODED", arrayFormat: arrayFormat as ArrayFormat };
}

function setDefaultHeader(headers: Headers, name: string, value: string): void {
  if (!headers.has(name)) headers.set(name, value);
}

function invalid(cause: string): TaskFailure {
  return new TaskFailure("States.Runtime", cause);
}
