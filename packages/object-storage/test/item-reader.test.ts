import { gzipSync } from "node:zlib";
import type { CsvDelimiter } from "@stepwise/asl";
import { beforeAll, describe, expect, it } from "vitest";
import { createObjectStorage } from "../src/index.ts";
import { collect, getObject, storeFixture } from "./datasets.ts";

const fixture = storeFixture();
let bucket: string;

beforeAll(async () => {
  bucket = await fixture.s3.bucket();
});

describe("a JSON dataset (getObject, InputType JSON)", () => {
  it("yields each element of the array in order, nested values and tricky strings intact", async () => {
    const items = [
      { id: 1, tags: ["a", "b"], note: 'has , ] } and "quotes" \\ too' },
      [1, [2, 3]],
      "text",
      4.5,
      null,
      true,
      { deep: { er: [{}] } },
    ];
    await fixture.s3.put(bucket, "orders.json", `  \n${JSON.stringify(items, null, 2)}\n`);
    expect(await collect(fixture.store.readItems(getObject(bucket, "orders.json", { InputType: "JSON" })))).toEqual(items);
  });

  it("reads the object as a JSON array when ReaderConfig has no InputType, as AWS does", async () => {
    await fixture.s3.put(bucket, "plain.json", '[{"a":1},{"a":2}]');
    expect(await collect(fixture.store.readItems(getObject(bucket, "plain.json")))).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it("yields nothing for an empty array", async () => {
    await fixture.s3.put(bucket, "empty.json", " [ ] ");
    expect(await collect(fixture.store.readItems(getObject(bucket, "empty.json")))).toEqual([]);
  });

  it("stops after MaxItems", async () => {
    await fixture.s3.put(bucket, "ten.json", JSON.stringify(Array.from({ length: 10 }, (_, i) => ({ i }))));
    expect(await collect(fixture.store.readItems(getObject(bucket, "ten.json", { InputType: "JSON", MaxItems: 3 })))).toEqual([
      { i: 0 },
      { i: 1 },
      { i: 2 },
    ]);
  });
});

describe("a JSON Lines dataset (InputType JSONL)", () => {
  it("yields one item per line, skipping blank lines, with CRLF line ends", async () => {
    await fixture.s3.put(bucket, "events.jsonl", '{"e":1}\r\n\r\n["x",2]\r\n"s"\n  \n{"e":{"n":[3]}}');
    expect(await collect(fixture.store.readItems(getObject(bucket, "events.jsonl", { InputType: "JSONL" })))).toEqual([
      { e: 1 },
      ["x", 2],
      "s",
      { e: { n: [3] } },
    ]);
  });

  it("stops after MaxItems", async () => {
    await fixture.s3.put(bucket, "many.jsonl", Array.from({ length: 20 }, (_, i) => JSON.stringify({ i })).join("\n"));
    expect(await collect(fixture.store.readItems(getObject(bucket, "many.jsonl", { InputType: "JSONL", MaxItems: 2 })))).toEqual([
      { i: 0 },
      { i: 1 },
    ]);
  });
});

describe("a CSV dataset (InputType CSV)", () => {
  it("makes each row an object from the first row's headers to string values, as AWS does", async () => {
    // A byte order mark, quoted fields holding commas, newlines and doubled quotes, backslash escapes,
    // a short row (empty strings), a long row (extra fields skipped), an empty line and CRLF.
    const csv = [
      "\uFEFFid,name,comment",
      '1,"Smith, Jane","said ""hi""\nthen left"',
      "2,C:\\\\Program Files\\\\App.exe,a\\,b and \\q",
      "3,short",
      "",
      "4,long,row,extra,fields",
      '5,"",{""k"":""v""}',
    ].join("\r\n");
    await fixture.s3.put(bucket, "people.csv", csv);
    expect(
      await collect(fixture.store.readItems(getObject(bucket, "people.csv", { InputType: "CSV", CSVHeaderLocation: "FIRST_ROW" }))),
    ).toEqual([
      { id: "1", name: "Smith, Jane", comment: 'said "hi"\nthen left' },
      { id: "2", name: "C:\\Program Files\\App.exe", comment: "a,b and q" },
      { id: "3", name: "short", comment: "" },
      { id: "4", name: "long", comment: "row" },
      { id: "5", name: "", comment: '{"k":"v"}' },
    ]);
  });

  it("uses the headers given in the definition (CSVHeaderLocation GIVEN), the first row being data", async () => {
    await fixture.s3.put(bucket, "given.csv", "a,1\nb,2\n");
    expect(
      await collect(
        fixture.store.readItems(
          getObject(bucket, "given.csv", { InputType: "CSV", CSVHeaderLocation: "GIVEN", CSVHeaders: ["letter", "number"] }),
        ),
      ),
    ).toEqual([
      { letter: "a", number: "1" },
      { letter: "b", number: "2" },
    ]);
  });

  const delimiters: Array<[CsvDelimiter, string]> = [
    ["COMMA", ","],
    ["PIPE", "|"],
    ["SEMICOLON", ";"],
    ["SPACE", " "],
    ["TAB", "\t"],
  ];
  it.each(delimiters)("splits fields on CSVDelimiter %s, a quoted delimiter staying in its field", async (name, delimiter) => {
    const key = `delimited-${name}.csv`;
    await fixture.s3.put(bucket, key, [`k${delimiter}v`, `x${delimiter}"y${delimiter}z"`, `1,2${delimiter}3`].join("\n"));
    const items = await collect(
      fixture.store.readItems(getObject(bucket, key, { InputType: "CSV", CSVHeaderLocation: "FIRST_ROW", CSVDelimiter: name })),
    );
    expect(items).toEqual([{ k: "x", v: `y${delimiter}z` }, name === "COMMA" ? { k: "1", v: "2" } : { k: "1,2", v: "3" }]);
  });

  it("stops after MaxItems rows, the header not counted", async () => {
    await fixture.s3.put(bucket, "rows.csv", `n\n${Array.from({ length: 50 }, (_, i) => i).join("\n")}\n`);
    expect(
      await collect(
        fixture.store.readItems(getObject(bucket, "rows.csv", { InputType: "CSV", CSVHeaderLocation: "FIRST_ROW", MaxItems: 2 })),
      ),
    ).toEqual([{ n: "0" }, { n: "1" }]);
  });
});

describe("a read the caller cancels", () => {
  it("stops with the caller's reason, not a dataset failure", async () => {
    await fixture.s3.put(bucket, "long.jsonl", Array.from({ length: 10_000 }, (_, i) => JSON.stringify({ i })).join("\n"));
    const controller = new AbortController();
    const seen: unknown[] = [];
    const reading = (async () => {
      for await (const item of fixture.store.readItems(getObject(bucket, "long.jsonl", { InputType: "JSONL" }), controller.signal)) {
        seen.push(item);
        if (seen.length === 2) controller.abort(new Error("the Map Run was stopped"));
      }
    })();
    await expect(reading).rejects.toThrow("the Map Run was stopped");
    expect(seen).toEqual([{ i: 0 }, { i: 1 }]);
  });
});

describe("VersionId", () => {
  it("reads the version named in Parameters", async () => {
    if (fixture.s3.requests === undefined) {
      // A versioning store: the old version is what is read.
      const { PutBucketVersioningCommand, PutObjectCommand } = await import("@aws-sdk/client-s3");
      const versioned = await fixture.s3.bucket();
      await fixture.s3.client.send(new PutBucketVersioningCommand({ Bucket: versioned, VersioningConfiguration: { Status: "Enabled" } }));
      const first = await fixture.s3.client.send(new PutObjectCommand({ Bucket: versioned, Key: "v.json", Body: "[1]" }));
      await fixture.s3.client.send(new PutObjectCommand({ Bucket: versioned, Key: "v.json", Body: "[2]" }));
      expect(await collect(fixture.store.readItems(getObject(versioned, "v.json", {}, { VersionId: first.VersionId ?? "" })))).toEqual([1]);
      return;
    }
    // s3rver keeps no versions: check the request asked S3 for the version.
    await fixture.s3.put(bucket, "versioned.json", "[1]");
    expect(
      await collect(fixture.store.readItems(getObject(bucket, "versioned.json", {}, { VersionId: "BcK42coT2jE1234VHLUvBV1yLNod2OEt" }))),
    ).toEqual([1]);
    const requests = fixture.s3.requests;
    await expect
      .poll(() => requests.some((url) => url.includes("versioned.json") && url.includes("versionId=BcK42coT2jE1234VHLUvBV1yLNod2OEt")))
      .toBe(true);
  });
});

describe("an S3 Inventory report (InputType MANIFEST)", () => {
  it("yields a row of every listed CSV file, named by the manifest's fileSchema", async () => {
    const inventory = await fixture.s3.bucket();
    const files = [
      {
        key: "inv/data/a.csv.gz",
        rows: [
          `"${bucket}","photos/1.jpg","100","2024-01-02T03:04:05.000Z"`,
          `"${bucket}","photos/2.jpg","200","2024-01-03T03:04:05.000Z"`,
        ],
      },
      { key: "inv/data/b.csv.gz", rows: [`"${bucket}","photos/3.jpg","300","2024-01-04T03:04:05.000Z"`] },
    ];
    for (const file of files) await fixture.s3.put(inventory, file.key, gzipSync(`${file.rows.join("\n")}\n`));
    const manifest = {
      sourceBucket: bucket,
      destinationBucket: `arn:aws:s3:::${inventory}`,
      version: "2016-11-30",
      creationTimestamp: "1704067200000",
      fileFormat: "CSV",
      fileSchema: "Bucket, Key, Size, LastModifiedDate",
      files: files.map((f) => ({ key: f.key, size: 1, MD5checksum: "0" })),
    };
    await fixture.s3.put(inventory, "inv/manifest.json", JSON.stringify(manifest));
    expect(await collect(fixture.store.readItems(getObject(inventory, "inv/manifest.json", { InputType: "MANIFEST" })))).toEqual([
      { Bucket: bucket, Key: "photos/1.jpg", Size: "100", LastModifiedDate: "2024-01-02T03:04:05.000Z" },
      { Bucket: bucket, Key: "photos/2.jpg", Size: "200", LastModifiedDate: "2024-01-03T03:04:05.000Z" },
      { Bucket: bucket, Key: "photos/3.jpg", Size: "300", LastModifiedDate: "2024-01-04T03:04:05.000Z" },
    ]);
  });
});

describe("the objects under a prefix (listObjectsV2)", () => {
  it("yields every object in AWS's item shape, across pages", async () => {
    const listed = await fixture.s3.bucket();
    const keys = Array.from({ length: 25 }, (_, i) => `images/${String(i).padStart(5, "0")}.jpg`);
    await Promise.all(keys.map((key) => fixture.s3.put(listed, key, `image ${key}`)));
    await fixture.s3.put(listed, "other/skip.txt", "not under the prefix");
    const before = Math.floor(Date.now() / 1000) - 120;
    const paged = createObjectStorage(fixture.s3.config, { listPageSize: 10 });
    try {
      const items = await collect(
        paged.readItems({
          resource: "arn:aws:states:::s3:listObjectsV2",
          parameters: { Bucket: listed, Prefix: "images/" },
          readerConfig: {},
        }),
      );
      expect(items.map((item) => (item as { Key: string }).Key)).toEqual(keys);
      const first = items[0] as Record<string, unknown>;
      expect(Object.keys(first).sort()).toEqual(["Etag", "Key", "LastModified", "Size", "StorageClass"]);
      expect(first).toMatchObject({ Key: keys[0], Size: `image ${keys[0]}`.length, StorageClass: "STANDARD" });
      expect(first.Etag).toMatch(/^"[0-9a-f]{32}"$/);
      expect(first.LastModified).toBeGreaterThan(before);
      expect(Number.isInteger(first.LastModified)).toBe(true);
      if (fixture.s3.requests !== undefined) {
        const requests = fixture.s3.requests;
        await expect
          .poll(() => requests.filter((url) => url.includes("list-type=2") && url.includes("continuation-token=")).length)
          .toBe(2);
      }
    } finally {
      paged.close();
    }
  });

  it("stops after MaxItems", async () => {
    const listed = await fixture.s3.bucket();
    await Promise.all(["a", "b", "c"].map((key) => fixture.s3.put(listed, key, key)));
    const items = await collect(
      fixture.store.readItems({
        resource: "arn:aws:states:::s3:listObjectsV2",
        parameters: { Bucket: listed },
        readerConfig: { MaxItems: 2 },
      }),
    );
    expect(items.map((item) => (item as { Key: string }).Key)).toEqual(["a", "b"]);
  });
});
