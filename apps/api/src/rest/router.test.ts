import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "./test-api.ts";

describe("REST /v1 with authentication on", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ apiEnv: { STEPWISE_AUTH: "on", STEPWISE_API_TOKENS: "first-token,second-token" } });
  });
  afterAll(() => api.close());

  it("answers 401 without a token or with a wrong one, on every kind of route", async () => {
    for (const [method, path] of [
      ["GET", "/state-machines"],
      ["POST", "/state-machines"],
      ["GET", "/executions"],
      ["POST", "/tasks/x/success"],
      ["GET", "/no-such-route"],
    ] as const) {
      const missing = await api.call(method, path);
      expect(missing.status, `${method} ${path}`).toBe(401);
      expect(missing.body.error).toBe("UnrecognizedClientException");
      const wrong = await api.call(method, path, undefined, { authorization: "Bearer nope" });
      expect(wrong.status, `${method} ${path}`).toBe(401);
    }
  });

  it("accepts any configured token", async () => {
    for (const token of ["first-token", "second-token"]) {
      const res = await api.call("GET", "/state-machines", undefined, { authorization: `Bearer ${token}` });
      expect(res).toEqual({ status: 200, body: { stateMachines: [] } });
    }
  });

  it("serves the OpenAPI document without a token", async () => {
    const res = await api.call("GET", "/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    expect(res.body.paths).toHaveProperty("/executions/{arn}/events/stream");
  });

  it("answers an unknown route with a JSON 404", async () => {
    const res = await api.call("DELETE", "/executions", undefined, { authorization: "Bearer first-token" });
    expect(res).toEqual({ status: 404, body: { error: "NotFound", message: "No route for DELETE /v1/executions" } });
  });
});
