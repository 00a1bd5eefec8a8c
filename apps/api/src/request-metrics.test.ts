import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parseSamples, sampleValue } from "@stepwise/testkit";
import express, { Router } from "express";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsActionOf, requestMetrics } from "./request-metrics.ts";

describe("API request metrics are labelled by action and status, with bounded label values", () => {
  const registry = new Registry();
  let server: Server;
  let endpoint: string;

  beforeAll(async () => {
    const app = express();
    app.use(requestMetrics(registry));
    const rest = Router();
    rest.get("/executions/:executionArn", (req, res) => {
      res.json({ executionArn: req.params.executionArn });
    });
    rest.get("/broken", () => {
      throw new Error("escapes every router");
    });
    rest.get("/hang", () => undefined);
    app.use("/v1", rest);
    app.use("/console", (_req, res) => {
      res.send("<html></html>");
    });
    app.post("/", (_req, res) => {
      res.status(400).json({ __type: "InvalidArn" });
    });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const observed = async (labels: Record<string, string>) =>
    sampleValue(parseSamples(await registry.metrics()), "stepwise_api_request_duration_seconds_count", labels);

  it("AWS protocol calls by their X-Amz-Target operation; made-up targets share one 'unknown' series", async () => {
    const call = (target: string) => fetch(`${endpoint}/`, { method: "POST", headers: { "x-amz-target": target }, body: "{}" });
    await call("AWSStepFunctions.DescribeExecution");
    await call("AWSStepFunctions.DescribeExecution");
    await call("AWSStepFunctions.NoSuchThing-1");
    await call("Something.Else");
    expect(await observed({ action: "DescribeExecution", status: "400" })).toBe(2);
    expect(await observed({ action: "unknown", status: "400" })).toBe(2);
  });

  it("REST calls by route pattern, never by the ARN in the path", async () => {
    await fetch(`${endpoint}/v1/executions/${encodeURIComponent("arn:aws:states:us-east-1:123456789012:execution:a:1")}`);
    await fetch(`${endpoint}/v1/executions/${encodeURIComponent("arn:aws:states:us-east-1:123456789012:execution:a:2")}`);
    expect(await observed({ action: "GET /v1/executions/:executionArn", status: "200" })).toBe(2);
    expect(await registry.metrics()).not.toContain("execution:a:1");
  });

  it("unmatched paths, escaped errors and requests the client gave up on", async () => {
    await fetch(`${endpoint}/no/such/${Math.random()}`);
    await fetch(`${endpoint}/v1/broken`);
    const controller = new AbortController();
    const hung = fetch(`${endpoint}/v1/hang`, { signal: controller.signal }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    await hung;
    await new Promise((r) => setTimeout(r, 50));
    expect(await observed({ action: "GET (unmatched)", status: "404" })).toBe(1);
    expect(await observed({ action: "GET (error)", status: "500" })).toBe(1);
    expect(await observed({ action: "GET /v1/hang", status: "aborted" })).toBe(1);
  });

  it("middleware without routes (static files) by its mount path", async () => {
    await fetch(`${endpoint}/console/index.html`);
    await fetch(`${endpoint}/console/assets/app-${Math.random()}.js`);
    expect(await observed({ action: "GET /console/*", status: "200" })).toBe(2);
  });

  it("awsActionOf accepts only known operations", () => {
    expect(awsActionOf("AWSStepFunctions.StartExecution")).toBe("StartExecution");
    expect(awsActionOf(undefined)).toBe("unknown");
    expect(awsActionOf("AWSStepFunctions.")).toBe("unknown");
  });
});
