import { describe, expect, it } from "vitest";
import { loadObjectStorageConfig } from "../src/index.ts";

describe("object storage configuration", () => {
  it("defaults to AWS S3 in us-east-1 with the SDK's credential chain, virtual-hosted style", () => {
    const config = loadObjectStorageConfig({});
    expect(config).toMatchObject({
      endpoint: undefined,
      region: "us-east-1",
      forcePathStyle: false,
      maxAttempts: 3,
      connectTimeoutMs: 5_000,
      requestTimeoutMs: 30_000,
    });
    expect(config.aws.credentials.kind).toBe("none");
  });

  it("prefers AWS_ENDPOINT_URL_S3 to AWS_ENDPOINT_URL, and goes path-style for a custom endpoint", () => {
    const config = loadObjectStorageConfig({
      AWS_ENDPOINT_URL: "http://all-services:4566",
      AWS_ENDPOINT_URL_S3: "http://minio:9000",
      AWS_REGION: "eu-west-3",
      AWS_ACCESS_KEY_ID: "minio",
      AWS_SECRET_ACCESS_KEY: "minio-secret",
    });
    expect(config).toMatchObject({ endpoint: "http://minio:9000", region: "eu-west-3", forcePathStyle: true });
    expect(config.aws.credentials.kind === "static" && config.aws.credentials.get()).toEqual({
      accessKeyId: "minio",
      secretAccessKey: "minio-secret",
    });
    expect(loadObjectStorageConfig({ AWS_ENDPOINT_URL: "http://all-services:4566" }).endpoint).toBe("http://all-services:4566");
  });

  it("keeps virtual-hosted style for a custom endpoint when STEPWISE_S3_FORCE_PATH_STYLE=false", () => {
    expect(
      loadObjectStorageConfig({ AWS_ENDPOINT_URL_S3: "https://r2.example.com", STEPWISE_S3_FORCE_PATH_STYLE: "false" }).forcePathStyle,
    ).toBe(false);
    expect(loadObjectStorageConfig({ STEPWISE_S3_FORCE_PATH_STYLE: "true" }).forcePathStyle).toBe(true);
  });

  it("treats empty variables as unset", () => {
    expect(
      loadObjectStorageConfig({ AWS_ENDPOINT_URL_S3: "", AWS_REGION: "", AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "" }),
    ).toMatchObject({ endpoint: undefined, region: "us-east-1", aws: { credentials: { kind: "none" } } });
  });

  it("refuses bad values, naming the variable", () => {
    expect(() => loadObjectStorageConfig({ AWS_ENDPOINT_URL_S3: "not a url" })).toThrow(/AWS_ENDPOINT_URL_S3/);
    expect(() => loadObjectStorageConfig({ STEPWISE_S3_FORCE_PATH_STYLE: "yes" })).toThrow(/STEPWISE_S3_FORCE_PATH_STYLE/);
    expect(() => loadObjectStorageConfig({ STEPWISE_S3_REQUEST_TIMEOUT_MS: "0" })).toThrow(/STEPWISE_S3_REQUEST_TIMEOUT_MS/);
    expect(() => loadObjectStorageConfig({ AWS_ACCESS_KEY_ID: "only-the-id" })).toThrow(
      /AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: set both or neither/,
    );
  });
});
