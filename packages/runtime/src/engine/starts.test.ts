import { ExecutionAlreadyExists, getExecution, getHistory, listThreads, StateMachineDoesNotExist } from "@stepwise/storage";
import { createTestRuntime, type TestRuntime } from "@stepwise/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Batcher } from "./batcher.ts";
import { InvalidExecutionInput, InvalidName, UnstorableText } from "./engine-errors.ts";

describe("many StartExecution calls at once, some of them bad", () => {
  let t: TestRuntime;
  beforeAll(async () => {
    t = await createTestRuntime();
  });
  afterAll(() => t.close());

  it("each gets its own answer: the good ones start, the bad ones get their own error, repeats find the first", async () => {
    const machine = await t.createMachine({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });
    const start = (request: Partial<Parameters<typeof t.runtime.engine.start>[0]>) =>
      t.runtime.engine.start({ stateMachineArn: machine, ...request });
    const good = Array.from({ length: 20 }, (_, i) => start({ name: `good-${i}`, input: JSON.stringify({ i }) }));
    const bad = [
      start({ stateMachineArn: `${machine}-missing`, name: "lost" }),
      start({ name: "bad-input", input: "{nope" }),
      start({ name: "bad name?" }),
      start({ name: "nul", input: '{"s":"\\u0000"}' }),
    ];
    const twice = [start({ name: "twice", input: '{"x":1}' }), start({ name: "twice", input: '{"x":1}' })];
    const clash = [start({ name: "clash", input: '{"x":1}' }), start({ name: "clash", input: '{"x":2}' })];
    const settled = await Promise.allSettled([...good, ...bad, ...twice, ...clash]);
    const value = (i: number) => (settled[i] as PromiseFulfilledResult<Awaited<(typeof good)[number]>>).value;
    const reason = (i: number) => (settled[i] as PromiseRejectedResult).reason;

    for (let i = 0; i < 20; i++) {
      expect(value(i).created).toBe(true);
      const execution = await getExecution(t.runtime.db, value(i).executionArn);
      expect(execution.input).toBe(JSON.stringify({ i }));
      expect((await getHistory(t.runtime.db, execution.arn)).map((e) => e.type)).toEqual(["ExecutionStarted"]);
      expect((await listThreads(t.runtime.db, execution.arn)).map((r) => r.threadId)).toEqual([""]);
    }
    expect(reason(20)).toBeInstanceOf(StateMachineDoesNotExist);
    expect(reason(21)).toBeInstanceOf(InvalidExecutionInput);
    expect(reason(22)).toBeInstanceOf(InvalidName);
    expect(reason(23)).toBeInstanceOf(UnstorableText);
    expect(value(24).executionArn).toBe(value(25).executionArn);
    expect([value(24).created, value(25).created].sort()).toEqual([false, true]);
    const clashes = [settled[26], settled[27]].map((s) => s?.status);
    expect(clashes.sort()).toEqual(["fulfilled", "rejected"]);
    expect([reason(26), reason(27)].find((r) => r !== undefined)).toBeInstanceOf(ExecutionAlreadyExists);
  });
});

describe("a batch that fails as a whole", () => {
  it("is served again request by request, so only the bad request fails", async () => {
    const batches: number[][] = [];
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const batcher = new Batcher<number, number>(
      async (requests) => {
        batches.push(requests);
        if (requests[0] === 0) await held;
        if (requests.includes(13)) throw new Error("thirteen spoils the batch");
        return requests.map((n) => n * 2);
      },
      { maxBatch: 10, maxInFlight: 1 },
    );
    const first = batcher.submit(0);
    const rest = [12, 13, 14].map((n) => batcher.submit(n));
    release();
    expect(await first).toBe(0);
    const settled = await Promise.allSettled(rest);
    expect(settled.map((s) => (s.status === "fulfilled" ? s.value : (s.reason as Error).message))).toEqual([
      24,
      "thirteen spoils the batch",
      28,
    ]);
    // The lone first, the three together, then each of them alone.
    expect(batches).toEqual([[0], [12, 13, 14], [12], [13], [14]]);
  });
});
