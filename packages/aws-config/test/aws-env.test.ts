import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { endpointFor, loadAwsClientConfig, sdkClientOptions } from "../src/index.ts";

const SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY";

describe("the AWS SDK's variables, read once for every AWS client", () => {
  it("runs locally with nothing set: us-east-1, AWS's endpoints, three attempts, no credentials named", () => {
    const config = loadAwsClientConfig({});
    expect(config).toMatchObject({ region: "us-east-1", endpoint: undefined, maxAttempts: 3, credentials: { kind: "none" } });
    expect(sdkClientOptions(config, "DynamoDB")).toEqual({ region: "us-east-1", maxAttempts: 3 });
  });

  it("gives a service its own endpoint before the common one, by the SDK's service id", () => {
    const config = loadAwsClientConfig({
      AWS_ENDPOINT_URL: "http://localstack:4566",
      AWS_ENDPOINT_URL_DYNAMODB: "http://alternator:8000",
      AWS_ENDPOINT_URL_ACM_PCA: "http://pca:9000",
    });
    expect(endpointFor(config, "DynamoDB")).toBe("http://alternator:8000");
    expect(endpointFor(config, "ACM PCA")).toBe("http://pca:9000");
    expect(endpointFor(config, "SQS")).toBe("http://localstack:4566");
  });

  it("addresses a custom S3 endpoint path-style unless STEPWISE_S3_FORCE_PATH_STYLE=false; other services get no S3 options", () => {
    const minio = { AWS_ENDPOINT_URL_S3: "http://minio:9000" };
    expect(sdkClientOptions(loadAwsClientConfig(minio), "S3")).toMatchObject({ endpoint: "http://minio:9000", forcePathStyle: true });
    const r2 = loadAwsClientConfig({ ...minio, STEPWISE_S3_FORCE_PATH_STYLE: "false" });
    expect(sdkClientOptions(r2, "S3").forcePathStyle).toBe(false);
    expect(sdkClientOptions(loadAwsClientConfig({}), "S3").forcePathStyle).toBe(false);
    expect(sdkClientOptions(loadAwsClientConfig(minio), "SQS")).not.toHaveProperty("forcePathStyle");
  });

  it("reads AWS_DEFAULT_REGION when AWS_REGION is unset, and treats empty variables as unset", () => {
    expect(loadAwsClientConfig({ AWS_DEFAULT_REGION: "eu-west-1" }).region).toBe("eu-west-1");
    expect(loadAwsClientConfig({ AWS_REGION: "", AWS_ACCESS_KEY_ID: "", AWS_ENDPOINT_URL_S3: "" })).toMatchObject({
      region: "us-east-1",
      credentials: { kind: "none" },
    });
  });

  it("hands static keys to the SDK through a function that logging and JSON never see into", async () => {
    const config = loadAwsClientConfig({ AWS_ACCESS_KEY_ID: "AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY: SECRET });
    expect(JSON.stringify(config)).not.toContain(SECRET);
    expect(inspect(config, { depth: 10 })).not.toContain(SECRET);
    expect(await sdkClientOptions(config, "SQS").credentials?.()).toEqual({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: SECRET });
    expect(loadAwsClientConfig({ AWS_PROFILE: "ops" }).credentials.kind).toBe("providerChain");
  });

  it("refuses at start-up, naming each variable and never a secret: a bad URL, half a key pair, too many attempts", () => {
    const load = () => loadAwsClientConfig({ AWS_ENDPOINT_URL_SQS: "not a url", AWS_SECRET_ACCESS_KEY: SECRET, AWS_MAX_ATTEMPTS: "50" });
    expect(load).toThrow(
      /AWS_MAX_ATTEMPTS: .*; AWS_ENDPOINT_URL_SQS: Invalid URL; AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: set both or neither/,
    );
    expect(load).not.toThrow(SECRET);
  });
});
