import type { Transaction } from "@stepwise/storage";
import { createTestDatabase, type TestDatabase } from "@stepwise/testkit";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GroupCommit } from "./group-commit.ts";

interface Write {
  key: string;
  value: string;
  fail?: boolean;
}

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await t.db.execute(sql`create table group_commit_probe (key text not null, value text not null, txid bigint not null)`);
});
afterAll(() => t.drop());
beforeEach(() => t.db.execute(sql`delete from group_commit_probe`));

/** Inserts the rows of one key in order (recording their transaction), after a pause so concurrent callers overlap. */
async function insert(tx: Transaction, writes: Write[]): Promise<number[]> {
  await new Promise((resolve) => setTimeout(resolve, 5));
  const txids: number[] = [];
  for (const write of writes) {
    if (write.fail) await tx.execute(sql`select 1 / 0`);
    const rows = await tx.execute<{ txid: string }>(
      sql`insert into group_commit_probe values (${write.key}, ${write.value}, txid_current()) returning txid::text`,
    );
    txids.push(Number(rows[0]?.txid));
  }
  calls.push(writes.map((w) => `${w.key}${w.value}`).join(","));
  return txids;
}

/** A transaction's members, each as `insert` alone; the first failure after all have settled. */
async function insertAll(tx: Transaction, members: Write[][]): Promise<number[][]> {
  const settled = await Promise.allSettled(members.map((member) => insert(tx, member)));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<number[]>).value);
}

let calls: string[] = [];
beforeEach(() => {
  calls = [];
});

const rows = () => t.db.execute<{ key: string; value: string }>(sql`select key, value from group_commit_probe order by key, value`);

describe("group commit", () => {
  it("commits transitions of different executions requested together in one transaction", async () => {
    const commits = new GroupCommit<Write, number>(t.db, (w) => w.key, insertAll, { maxBatch: 16, maxInFlight: 1 });
    // The first goes alone (nothing was waiting); the four asked for meanwhile share the next transaction.
    const txids = await Promise.all(["a", "b", "c", "d", "e"].map((key) => commits.submit({ key, value: "1" })));
    expect(new Set(txids.slice(1)).size).toBe(1);
    expect(txids[0]).not.toBe(txids[1]);
    expect((await rows()).length).toBe(5);
  });

  it("hands the transitions of one execution requested together to one call, in the order they came", async () => {
    const commits = new GroupCommit<Write, number>(t.db, (w) => w.key, insertAll, { maxBatch: 16, maxInFlight: 1 });
    const writes = [
      { key: "z", value: "0" },
      { key: "a", value: "1" },
      { key: "a", value: "2" },
      { key: "b", value: "1" },
      { key: "a", value: "3" },
    ];
    const txids = await Promise.all(writes.map((w) => commits.submit(w)));
    // z went alone; the rest waited and went together, a's three in one call, once.
    expect(calls[0]).toBe("z0");
    expect(calls.slice(1).sort()).toEqual(["a1,a2,a3", "b1"]);
    expect(new Set(txids.slice(1)).size).toBe(1);
  });

  it("caps how many requests of one execution one call takes", async () => {
    const commits = new GroupCommit<Write, number>(t.db, (w) => w.key, insertAll, { maxBatch: 2, maxInFlight: 1 });
    await Promise.all(["0", "1", "2", "3", "4"].map((value) => commits.submit({ key: "a", value })));
    expect(calls).toEqual(["a0", "a1,a2", "a3,a4"]);
  });

  it("runs every member alone again when one fails: the others commit, the failure is its own", async () => {
    const commits = new GroupCommit<Write, number>(t.db, (w) => w.key, insertAll, { maxBatch: 16, maxInFlight: 1 });
    const first = commits.submit({ key: "warm", value: "1" });
    const outcomes = await Promise.allSettled([
      commits.submit({ key: "a", value: "1" }),
      commits.submit({ key: "b", value: "1", fail: true }),
      commits.submit({ key: "c", value: "1" }),
    ]);
    await first;
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(String((outcomes[1] as PromiseRejectedResult).reason.cause ?? (outcomes[1] as PromiseRejectedResult).reason)).toMatch(
      /division by zero/,
    );
    // Each row once: the batch's writes were rolled back before the members ran again.
    expect(await rows()).toEqual([
      { key: "a", value: "1" },
      { key: "c", value: "1" },
      { key: "warm", value: "1" },
    ]);
  });

  it("with a batch size of one, gives every transition its own transaction", async () => {
    const commits = new GroupCommit<Write, number>(t.db, (w) => w.key, insertAll, { maxBatch: 1, maxInFlight: 4 });
    const txids = await Promise.all(["a", "b", "c", "d"].map((key) => commits.submit({ key, value: "1" })));
    expect(new Set(txids).size).toBe(4);
  });

  it("hands a shared transaction's members over in key order, so transactions lock them without waiting in a cycle", async () => {
    const orders: string[][] = [];
    const record = (tx: Transaction, members: Write[][]) => {
      orders.push(members.map((member) => (member[0] as Write).key));
      return insertAll(tx, members);
    };
    const commits = new GroupCommit<Write, number>(t.db, (w) => w.key, record, { maxBatch: 16, maxInFlight: 1 });
    await Promise.all(["z", "c", "a", "b"].map((key) => commits.submit({ key, value: "1" })));
    // z went alone; the others shared a transaction.
    expect(orders).toEqual([["z"], ["a", "b", "c"]]);
  });
});
