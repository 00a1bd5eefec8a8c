import { expect, it } from "vitest";
import { getObject, storeFixture } from "./datasets.ts";

const fixture = storeFixture();

const ROWS = 1_000_000;
const header = "order_id,customer,sku,amount,note\n";
const row = (i: number) =>
  `${i},customer-${i % 9_973},SKU-${String(i % 100_000).padStart(6, "0")},${i % 1_000}.25,"a note, with a comma"\n`;

/** The CSV as chunks of about 1 MiB, generated as the upload reads them. */
async function* csvChunks(): AsyncGenerator<Uint8Array> {
  yield Buffer.from(header);
  let chunk = "";
  for (let i = 0; i < ROWS; i++) {
    chunk += row(i);
    if (chunk.length >= 1 << 20) {
      yield Buffer.from(chunk);
      chunk = "";
    }
  }
  if (chunk.length > 0) yield Buffer.from(chunk);
}

it("reads a million-row CSV object in bounded memory, every row in order", async () => {
  const bucket = await fixture.s3.bucket();
  let bytes = header.length;
  for (let i = 0; i < ROWS; i++) bytes += row(i).length;
  await fixture.s3.put(bucket, "orders.csv", csvChunks(), bytes);

  const before = process.memoryUsage().heapUsed;
  let peak = before;
  let count = 0;
  let last: Record<string, string> | undefined;
  for await (const item of fixture.store.readItems(getObject(bucket, "orders.csv", { InputType: "CSV", CSVHeaderLocation: "FIRST_ROW" }))) {
    const order = item as Record<string, string>;
    if (order.order_id !== String(count)) throw new Error(`row ${count} came as ${order.order_id}`);
    last = order;
    if (++count % 20_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  expect(count).toBe(ROWS);
  expect(last).toEqual({
    order_id: "999999",
    customer: `customer-${999_999 % 9_973}`,
    sku: "SKU-099999",
    amount: "999.25",
    note: "a note, with a comma",
  });
  // Holding the object (about 60 MB of text) would take more than that; streaming it holds a few chunks.
  const growth = peak - before;
  expect(bytes).toBeGreaterThan(60_000_000);
  expect(growth).toBeLessThan(bytes / 2);
}, 60_000);
