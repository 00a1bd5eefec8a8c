import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { loadIntegrationsConfig } from "../src/index.ts";

const SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY";

describe("integrations configuration", () => {
  it("is off by default: no service is enabled", () => {
    expect(loadIntegrationsConfig({}).enabled).toEqual(new Set());
  });

  it("enables the services STEPWISE_AWS_INTEGRATIONS lists, or every one with *", () => {
    expect(loadIntegrationsConfig({ STEPWISE_AWS_INTEGRATIONS: "dynamodb, sqs" }).enabled).toEqual(new Set(["dynamodb", "sqs"]));
    expect(loadIntegrationsConfig({ STEPWISE_AWS_INTEGRATIONS: "*" }).enabled).toBe("*");
  });

  it("refuses at start-up a service spelt otherwise than resources spell it, a bad endpoint, or half a key pair", () => {
    expect(() => loadIntegrationsConfig({ STEPWISE_AWS_INTEGRATIONS: "DynamoDB" })).toThrow(
      /STEPWISE_AWS_INTEGRATIONS: 'DynamoDB' is not a service name/,
    );
    expect(() => loadIntegrationsConfig({ AWS_ENDPOINT_URL_DYNAMODB: "not a url" })).toThrow(/AWS_ENDPOINT_URL_DYNAMODB: Invalid URL/);
    expect(() => loadIntegrationsConfig({ AWS_SECRET_ACCESS_KEY: SECRET })).toThrow(/set both or neither/);
    expect(() => loadIntegrationsConfig({ AWS_SECRET_ACCESS_KEY: SECRET })).not.toThrow(SECRET);
  });

  it("takes endpoints, region and keys from the AWS SDK's variables, and never shows the secret when logged", () => {
    const config = loadIntegrationsConfig({
      AWS_REGION: "eu-west-1",
      AWS_ENDPOINT_URL: "http://127.0.0.1:4566",
      AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:8000",
      AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
      AWS_SECRET_ACCESS_KEY: SECRET,
    });
    expect(config.aws).toMatchObject({ region: "eu-west-1", endpoint: "http://127.0.0.1:4566" });
    expect(config.aws.serviceEndpoints.get("DYNAMODB")).toBe("http://127.0.0.1:8000");
    expect(config.aws.credentials.kind).toBe("static");
    expect(JSON.stringify(config)).not.toContain(SECRET);
    expect(inspect(config, { depth: 10 })).not.toContain(SECRET);
  });
});
