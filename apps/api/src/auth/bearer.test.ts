import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadApiConfig } from "../config.ts";
import { bearerAuth, matchingToken, parseApiTokens } from "./bearer.ts";

async function serve(env: Record<string, string>): Promise<{ url: string; server: Server }> {
  const app = express();
  app.use(bearerAuth(loadApiConfig({ HOST: "127.0.0.1", ...env })));
  app.get("/", (_req, res) => {
    res.json({ ok: true });
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

describe("bearer tokens", () => {
  let on: { url: string; server: Server };
  let off: { url: string; server: Server };
  beforeAll(async () => {
    on = await serve({ STEPWISE_AUTH: "on", STEPWISE_API_TOKENS: "alpha, beta" });
    off = await serve({ STEPWISE_AUTH: "off" });
  });
  afterAll(async () => {
    for (const { server } of [on, off]) await new Promise((resolve) => server.close(resolve));
  });

  it("accepts every configured token", async () => {
    for (const token of ["alpha", "beta"]) {
      const response = await fetch(on.url, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
    }
  });

  it("refuses a wrong, missing or malformed token with 401 UnrecognizedClientException", async () => {
    const cases: Record<string, string>[] = [
      { authorization: "Bearer gamma" },
      {},
      { authorization: "Basic YWxwaGE6" },
      { authorization: "Bearer alpha beta" },
    ];
    for (const headers of cases) {
      const response = await fetch(on.url, { headers });
      expect(response.status).toBe(401);
      const body = (await response.json()) as { error: string; message: string };
      expect(body.error).toBe("UnrecognizedClientException");
      expect(body.message.length).toBeGreaterThan(0);
    }
  });

  it("lets everything through when authentication is off", async () => {
    expect((await fetch(off.url)).status).toBe(200);
  });

  it("parses the token list and matches tokens exactly", () => {
    expect(parseApiTokens(" a ,, b,")).toEqual(["a", "b"]);
    expect(matchingToken("a", ["a", "b"])).toBe(0);
    expect(matchingToken("b", ["a", "b"])).toBe(1);
    expect(matchingToken("ab", ["a", "b"])).toBe(-1);
    expect(matchingToken("", [])).toBe(-1);
  });
});
