/**
 * An S3-protocol server for tests: s3rver on a random loopback port over a temporary directory,
 * removed on close; or, when STEPWISE_TEST_S3_ENDPOINT is set, that server (MinIO, say) with the
 * AWS_* credentials of the environment, where each test's buckets are emptied and removed on close.
 */

import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { sdkClientOptions } from "@stepwise/aws-config";
import { loadObjectStorageConfig, type ObjectStorageConfig } from "@stepwise/object-storage";

export interface S3TestServer {
  config: ObjectStorageConfig;
  /** The variables a worker process needs to reach the store. */
  env: Record<string, string>;
  /** A client for arranging and checking objects (not the store under test). */
  client: S3Client;
  /** Request paths (with query) the server received, oldest first; undefined for an external server. */
  requests: string[] | undefined;
  /** A new, empty bucket with a unique name, removed on close. */
  bucket(): Promise<string>;
  put(bucket: string, key: string, body: string | Uint8Array | AsyncIterable<Uint8Array>, length?: number): Promise<void>;
  getText(bucket: string, key: string): Promise<string>;
  keys(bucket: string, prefix?: string): Promise<string[]>;
  close(): Promise<void>;
}

let bucketCounter = 0;

export async function startS3TestServer(): Promise<S3TestServer> {
  const external = process.env.STEPWISE_TEST_S3_ENDPOINT;
  if (external !== undefined && external !== "") {
    return harness(loadObjectStorageConfig({ ...process.env, AWS_ENDPOINT_URL_S3: external }), undefined, async () => {});
  }
  const directory = await mkdtemp(join(tmpdir(), "stepwise-s3-"));
  const child = spawn(
    process.execPath,
    ["--openssl-legacy-provider", fileURLToPath(new URL("./s3rver-process.mjs", import.meta.url)), directory],
    {
      stdio: ["ignore", "pipe", "inherit", "ipc"],
    },
  );
  const requests: string[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`s3rver exited (${code}) before listening`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      if (line.startsWith("request ")) requests.push(line.slice("request ".length));
      else if (line.startsWith("listening ")) resolve(Number(line.slice("listening ".length)));
    });
  });
  const config = loadObjectStorageConfig({
    AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}`,
    AWS_REGION: "us-east-1",
    // s3rver's built-in account.
    AWS_ACCESS_KEY_ID: "S3RVER",
    AWS_SECRET_ACCESS_KEY: "S3RVER",
  });
  return harness(config, requests, async () => {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
    await rm(directory, { recursive: true, force: true });
  });
}

function harness(config: ObjectStorageConfig, requests: string[] | undefined, stop: () => Promise<void>): S3TestServer {
  const client = new S3Client(sdkClientOptions(config.aws, "S3"));
  const buckets: string[] = [];
  const keys = async (bucket: string, prefix?: string): Promise<string[]> => {
    const out: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
      for (const object of page.Contents ?? []) out.push(object.Key ?? "");
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return out;
  };
  const secret = config.aws.credentials.kind === "static" ? config.aws.credentials.get() : undefined;
  const env: Record<string, string> = {
    AWS_ENDPOINT_URL_S3: config.endpoint ?? "",
    AWS_REGION: config.region,
    ...(secret ? { AWS_ACCESS_KEY_ID: secret.accessKeyId, AWS_SECRET_ACCESS_KEY: secret.secretAccessKey } : {}),
    ...(secret?.sessionToken ? { AWS_SESSION_TOKEN: secret.sessionToken } : {}),
  };
  return {
    config,
    env,
    client,
    requests,
    async bucket() {
      const name = `stepwise-test-${process.pid}-${Date.now().toString(36)}-${++bucketCounter}`;
      await client.send(new CreateBucketCommand({ Bucket: name }));
      buckets.push(name);
      return name;
    },
    async put(bucket, key, body, length) {
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: typeof body === "string" || body instanceof Uint8Array ? body : Readable.from(body),
          ...(length !== undefined ? { ContentLength: length } : {}),
        }),
      );
    },
    async getText(bucket, key) {
      const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return (await response.Body?.transformToString("utf8")) ?? "";
    },
    keys,
    async close() {
      for (const bucket of buckets) {
        // An external store may keep versions (the VersionId test turns versioning on); s3rver keeps none.
        const objects = requests === undefined ? await versions(client, bucket) : (await keys(bucket)).map((Key) => ({ Key }));
        for (let i = 0; i < objects.length; i += 1000) {
          await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects.slice(i, i + 1000) } }));
        }
        await client.send(new DeleteBucketCommand({ Bucket: bucket }));
      }
      client.destroy();
      await stop();
    },
  };
}

async function versions(client: S3Client, bucket: string): Promise<Array<{ Key: string; VersionId?: string }>> {
  const out: Array<{ Key: string; VersionId?: string }> = [];
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  do {
    const page = await client.send(
      new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }),
    );
    for (const v of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]) {
      out.push({ Key: v.Key ?? "", ...(v.VersionId !== undefined ? { VersionId: v.VersionId } : {}) });
    }
    keyMarker = page.IsTruncated === true ? page.NextKeyMarker : undefined;
    versionIdMarker = page.IsTruncated === true ? page.NextVersionIdMarker : undefined;
  } while (keyMarker !== undefined);
  return out;
}
