import { createServer, type Server, type Socket } from "node:net";
import { beforeAll, describe, expect, it } from "vitest";
import { createObjectStorage, loadObjectStorageConfig } from "../src/index.ts";
import { getObject, readFailure, storeFixture } from "./datasets.ts";

const fixture = storeFixture();
let bucket: string;

beforeAll(async () => {
  bucket = await fixture.s3.bucket();
});

describe("an object that cannot be read", () => {
  it("names the bucket when it does not exist", async () => {
    const failure = await readFailure(fixture.store, getObject(`${bucket}-missing`, "data.json"));
    expect(failure).toEqual({
      error: "States.ItemReaderFailed",
      cause: `Unable to read s3://${bucket}-missing/data.json: the bucket does not exist (NoSuchBucket)`,
    });
  });

  it("names the key when it does not exist", async () => {
    const failure = await readFailure(fixture.store, getObject(bucket, "nowhere/data.csv", { InputType: "CSV" }));
    expect(failure).toEqual({
      error: "States.ItemReaderFailed",
      cause: `Unable to read s3://${bucket}/nowhere/data.csv: the object does not exist (NoSuchKey)`,
    });
  });

  it("says access was denied when the store refuses the credentials", async () => {
    await fixture.s3.put(bucket, "secret.json", "[1]");
    const keys = { accessKeyId: "AKIDUNKNOWN", secretAccessKey: "wrong" };
    const config = fixture.s3.config;
    const intruder = createObjectStorage({ ...config, aws: { ...config.aws, credentials: { kind: "static", get: () => keys } } });
    try {
      const failure = await readFailure(intruder, getObject(bucket, "secret.json"));
      expect(failure.error).toBe("States.ItemReaderFailed");
      expect(failure.cause).toMatch(new RegExp(`^Unable to read s3://${bucket}/secret\\.json: access denied \\(InvalidAccessKeyId: `));
    } finally {
      intruder.close();
    }
  });

  it("names the prefix when listing a missing bucket", async () => {
    const failure = await readFailure(fixture.store, {
      resource: "arn:aws:states:::s3:listObjectsV2",
      parameters: { Bucket: `${bucket}-gone`, Prefix: "logs/" },
      readerConfig: {},
    });
    expect(failure.cause).toBe(`Unable to list s3://${bucket}-gone/logs/: the bucket does not exist (NoSuchBucket)`);
  });
});

describe("a dataset that does not parse", () => {
  it("names the CSV line with an unclosed quote", async () => {
    await fixture.s3.put(bucket, "open-quote.csv", 'id,name\n1,ok\n2,"never closed\n3,x\n');
    const failure = await readFailure(
      fixture.store,
      getObject(bucket, "open-quote.csv", { InputType: "CSV", CSVHeaderLocation: "FIRST_ROW" }),
    );
    expect(failure).toEqual({
      error: "States.ItemReaderFailed",
      cause: `Malformed CSV in s3://${bucket}/open-quote.csv: line 3: a quoted field is not closed before the end of the file`,
    });
  });

  it("names the CSV line with text after a closing quote", async () => {
    await fixture.s3.put(bucket, "after-quote.csv", 'id,name\n1,ok\n2,"quoted"tail\n');
    const failure = await readFailure(
      fixture.store,
      getObject(bucket, "after-quote.csv", { InputType: "CSV", CSVHeaderLocation: "FIRST_ROW" }),
    );
    expect(failure.cause).toBe(
      `Malformed CSV in s3://${bucket}/after-quote.csv: line 3: unexpected character after the closing quotation mark of a field`,
    );
  });

  it("refuses duplicate CSV headers and a CSV with headers only, as AWS does", async () => {
    await fixture.s3.put(bucket, "dupes.csv", "a,b,a\n1,2,3\n");
    expect(
      (await readFailure(fixture.store, getObject(bucket, "dupes.csv", { InputType: "CSV", CSVHeaderLocation: "FIRST_ROW" }))).cause,
    ).toBe(`Malformed CSV in s3://${bucket}/dupes.csv: CSV headers cannot contain duplicates.`);
    await fixture.s3.put(bucket, "headers-only.csv", "a,b\n");
    expect(
      (await readFailure(fixture.store, getObject(bucket, "headers-only.csv", { InputType: "CSV", CSVHeaderLocation: "FIRST_ROW" }))).cause,
    ).toBe(`Malformed CSV in s3://${bucket}/headers-only.csv: the CSV file contains only CSV headers and no rows`);
  });

  it("gives the position of an invalid JSON element", async () => {
    await fixture.s3.put(bucket, "bad.json", '[{"a":1}, {"a":}]');
    const failure = await readFailure(fixture.store, getObject(bucket, "bad.json", { InputType: "JSON" }));
    expect(failure.cause).toMatch(
      new RegExp(`^Malformed JSON in s3://${bucket}/bad\\.json: the array element at position 10 is not valid JSON \\(`),
    );
  });

  it("refuses a JSON document that is not an array, and one cut short", async () => {
    await fixture.s3.put(bucket, "object.json", '{"items": [1, 2]}');
    expect((await readFailure(fixture.store, getObject(bucket, "object.json"))).cause).toBe(
      `Malformed JSON in s3://${bucket}/object.json: Attempting to map over non-iterable node.`,
    );
    await fixture.s3.put(bucket, "cut.json", "[1, 2, [3");
    expect((await readFailure(fixture.store, getObject(bucket, "cut.json"))).cause).toBe(
      `Malformed JSON in s3://${bucket}/cut.json: unexpected end of the document at position 9`,
    );
  });

  it("names the JSON Lines line that is not JSON", async () => {
    await fixture.s3.put(bucket, "bad.jsonl", '{"ok":1}\n{"ok":2}\n{"ok":\n');
    const failure = await readFailure(fixture.store, getObject(bucket, "bad.jsonl", { InputType: "JSONL" }));
    expect(failure.cause).toMatch(new RegExp(`^Malformed JSONL in s3://${bucket}/bad\\.jsonl: line 3 is not valid JSON \\(`));
  });
});

describe("an item over the 256 KiB payload limit", () => {
  const big = "x".repeat(300_000);

  it("names the index of a JSON element", async () => {
    await fixture.s3.put(bucket, "big.json", JSON.stringify([1, 2, { big }, 4]));
    const failure = await readFailure(fixture.store, getObject(bucket, "big.json"));
    expect(failure).toEqual({
      error: "States.ItemReaderFailed",
      cause: `The item at index 2 of s3://${bucket}/big.json (300010 bytes) is over the 262144-byte payload limit (States.DataLimitExceeded)`,
    });
  });

  it("names the index of a JSON element too long to hold whole", async () => {
    await fixture.s3.put(bucket, "huge.json", `[1, "${"z".repeat(2_000_000)}"]`);
    const failure = await readFailure(fixture.store, getObject(bucket, "huge.json"));
    expect(failure.cause).toBe(
      `The item at index 1 of s3://${bucket}/huge.json (longer than any item may be) is over the 262144-byte payload limit (States.DataLimitExceeded)`,
    );
  });

  it("names the index and line of a CSV row, without holding a huge row whole", async () => {
    await fixture.s3.put(bucket, "big.csv", `k\nsmall\n${"y".repeat(2_000_000)}\n`);
    const failure = await readFailure(fixture.store, getObject(bucket, "big.csv", { InputType: "CSV", CSVHeaderLocation: "FIRST_ROW" }));
    expect(failure.cause).toBe(
      `The item at index 1 of s3://${bucket}/big.csv (line 3) is over the 262144-byte payload limit (States.DataLimitExceeded)`,
    );
  });

  it("names the index of a JSON Lines item", async () => {
    await fixture.s3.put(bucket, "big.jsonl", `1\n${JSON.stringify({ big })}\n3\n`);
    const failure = await readFailure(fixture.store, getObject(bucket, "big.jsonl", { InputType: "JSONL" }));
    expect(failure.cause).toBe(
      `The item at index 1 of s3://${bucket}/big.jsonl (300010 bytes) is over the 262144-byte payload limit (States.DataLimitExceeded)`,
    );
  });
});

describe("a store that cannot be reached", () => {
  const env = { AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "AKID", AWS_SECRET_ACCESS_KEY: "secret", AWS_MAX_ATTEMPTS: "2" };

  it("fails fast, naming the endpoint, when nothing listens there", async () => {
    const port = await freePort();
    const unreachable = createObjectStorage(loadObjectStorageConfig({ ...env, AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}` }));
    const started = Date.now();
    try {
      const failure = await readFailure(unreachable, getObject("data", "items.json"));
      expect(failure).toEqual({
        error: "States.ItemReaderFailed",
        cause: `Unable to read s3://data/items.json: the object store at http://127.0.0.1:${port} could not be reached (ECONNREFUSED)`,
      });
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      unreachable.close();
    }
  });

  it("gives up after the request timeout when the store accepts but never answers", async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as { port: number };
    const stuck = createObjectStorage(
      loadObjectStorageConfig({ ...env, AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}`, STEPWISE_S3_REQUEST_TIMEOUT_MS: "300" }),
    );
    const started = Date.now();
    try {
      const failure = await readFailure(stuck, getObject("data", "items.json"));
      expect(failure.error).toBe("States.ItemReaderFailed");
      expect(failure.cause).toMatch(
        new RegExp(`^Unable to read s3://data/items\\.json: the object store at http://127\\.0\\.0\\.1:${port} did not answer in time`),
      );
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      stuck.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
