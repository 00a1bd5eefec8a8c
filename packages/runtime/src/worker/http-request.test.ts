import type { Json } from "@stepwise/asl";
import { describe, expect, it } from "vitest";
import { parseHttpRequest } from "./http-request.ts";
import { TaskFailure } from "./task-handler.ts";

const endpoint = "https://api.example.com/v1/items";

function runtimeCause(input: Json): string | undefined {
  try {
    parseHttpRequest(input);
  } catch (error) {
    expect(error).toBeInstanceOf(TaskFailure);
    expect((error as TaskFailure).error).toBe("States.Runtime");
    return (error as TaskFailure).causeText;
  }
  throw new Error("expected States.Runtime");
}

function formBody(body: Json, arrayFormat?: string): string | undefined {
  const Transform = {
    RequestBodyEncoding: "URL_ENCODED",
    ...(arrayFormat ? { RequestEncodingOptions: { ArrayFormat: arrayFormat } } : {}),
  };
  return parseHttpRequest({ ApiEndpoint: endpoint, Method: "POST", RequestBody: body, Transform }).body;
}

describe("parseHttpRequest", () => {
  it("builds the URL from ApiEndpoint and QueryParameters, repeating array values", () => {
    const spec = parseHttpRequest({
      ApiEndpoint: `${endpoint}?page=2#top`,
      Method: "DELETE",
      QueryParameters: { ids: [1, 2], "a&b": "c=d", flag: true },
    });
    expect(spec.method).toBe("DELETE");
    expect(spec.url.href).toBe(`${endpoint}?page=2&ids=1&ids=2&a%26b=c%3Dd&flag=true`);
    expect(spec.body).toBeUndefined();
  });

  it("serialises an object RequestBody as JSON, keeping a Content-Type the caller chose", () => {
    const plain = parseHttpRequest({ ApiEndpoint: endpoint, Method: "POST", RequestBody: { a: [1, null] } });
    expect(plain.body).toBe('{"a":[1,null]}');
    expect(plain.headers.get("content-type")).toBe("application/json");
    const custom = parseHttpRequest({
      ApiEndpoint: endpoint,
      Method: "PATCH",
      Headers: { "Content-Type": "application/merge-patch+json" },
      RequestBody: { a: 1 },
    });
    expect(custom.headers.get("content-type")).toBe("application/merge-patch+json");
  });

  it("sends a string RequestBody as it is", () => {
    expect(parseHttpRequest({ ApiEndpoint: endpoint, Method: "POST", RequestBody: "<xml/>" }).body).toBe("<xml/>");
  });

  it("URL-encodes with INDICES by default, and BRACKETS, REPEAT or COMMAS on request", () => {
    const body = { a: ["x", "y"], o: { k: "v w" }, n: null };
    expect(formBody(body)).toBe("a%5B0%5D=x&a%5B1%5D=y&o%5Bk%5D=v+w&n=");
    expect(formBody(body, "BRACKETS")).toBe("a%5B%5D=x&a%5B%5D=y&o%5Bk%5D=v+w&n=");
    expect(formBody(body, "REPEAT")).toBe("a=x&a=y&o%5Bk%5D=v+w&n=");
    expect(formBody(body, "COMMAS")).toBe("a=x%2Cy&o%5Bk%5D=v+w&n=");
    expect(formBody({ a: [{ b: 1 }] }, "COMMAS")).toBe("a%5B0%5D%5Bb%5D=1");
  });

  it("sets the form Content-Type for URL_ENCODED bodies", () => {
    const spec = parseHttpRequest({
      ApiEndpoint: endpoint,
      Method: "POST",
      RequestBody: { a: 1 },
      Transform: { RequestBodyEncoding: "URL_ENCODED" },
    });
    expect(spec.headers.get("content-type")).toBe("application/x-www-form-urlencoded");
  });

  it("accepts and ignores Authentication (there are no EventBridge connections)", () => {
    const spec = parseHttpRequest({
      ApiEndpoint: endpoint,
      Method: "GET",
      Authentication: { ConnectionArn: "arn:aws:events:us-east-1:1:connection/x/y" },
    });
    expect([...spec.headers.keys()]).toEqual([]);
  });

  it.each<[string, Json, string]>([
    ["input not an object", ["GET"], "must be a JSON object"],
    ["unknown field", { ApiEndpoint: endpoint, Method: "GET", Header: {} }, "'Header'"],
    ["missing ApiEndpoint", { Method: "GET" }, "'ApiEndpoint' is required"],
    ["relative ApiEndpoint", { ApiEndpoint: "/v1/items", Method: "GET" }, "'ApiEndpoint' must be an absolute"],
    ["non-http ApiEndpoint", { ApiEndpoint: "ftp://example.com/", Method: "GET" }, "'ApiEndpoint' must be an http or https URL"],
    ["credentials in ApiEndpoint", { ApiEndpoint: "https://u:p@example.com/", Method: "GET" }, "user name or password"],
    ["missing Method", { ApiEndpoint: endpoint }, "'Method' must be one of GET, POST"],
    ["lower-case Method", { ApiEndpoint: endpoint, Method: "get" }, "'Method'"],
    ["Headers not an object", { ApiEndpoint: endpoint, Method: "GET", Headers: "x" }, "'Headers' must be an object"],
    ["connection header", { ApiEndpoint: endpoint, Method: "GET", Headers: { Host: "evil" } }, "'Host' cannot be set"],
    ["object header value", { ApiEndpoint: endpoint, Method: "GET", Headers: { "X-A": { b: 1 } } }, "'X-A'"],
    ["invalid header name", { ApiEndpoint: endpoint, Method: "GET", Headers: { "bad name": "x" } }, "'bad name'"],
    [
      "nested query parameter",
      { ApiEndpoint: endpoint, Method: "GET", QueryParameters: { f: { a: 1 } } },
      "'f' in the field 'QueryParameters'",
    ],
    ["body with GET", { ApiEndpoint: endpoint, Method: "GET", RequestBody: {} }, "'RequestBody' cannot be sent with GET"],
    [
      "URL_ENCODED non-object",
      { ApiEndpoint: endpoint, Method: "POST", RequestBody: "a=1", Transform: { RequestBodyEncoding: "URL_ENCODED" } },
      "must be an object to be URL_ENCODED",
    ],
    [
      "unknown encoding",
      { ApiEndpoint: endpoint, Method: "POST", Transform: { RequestBodyEncoding: "BASE64" } },
      "'Transform.RequestBodyEncoding'",
    ],
    [
      "unknown array format",
      { ApiEndpoint: endpoint, Method: "POST", Transform: { RequestEncodingOptions: { ArrayFormat: "JSON" } } },
      "'Transform.RequestEncodingOptions.ArrayFormat'",
    ],
    ["Authentication not an object", { ApiEndpoint: endpoint, Method: "GET", Authentication: "arn" }, "'Authentication'"],
  ])("fails %s with States.Runtime naming the field", (_name, input, cause) => {
    expect(runtimeCause(input)).toContain(cause);
  });
});
