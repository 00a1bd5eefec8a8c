import type { HistoryEvent } from "@stepwise/asl";
import { type ExecutionStatus, getHistory } from "@stepwise/storage";
import { createTestRuntime, type TestRuntime } from "@stepwise/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HistorySink, streamHistory } from "./history-stream.ts";

function recordingSink() {
  const events: HistoryEvent[] = [];
  const ends: ExecutionStatus[] = [];
  let idles = 0;
  const sink: HistorySink = {
    event: async (e) => {
      events.push(e);
    },
    end: async (status) => {
      ends.push(status);
    },
    idle: async () => {
      idles += 1;
    },
  };
  return { sink, events, ends, idles: () => idles };
}

describe("streamHistory", () => {
  let t: TestRuntime;
  let waiting: string;
  beforeAll(async () => {
    t = await createTestRuntime();
    t.worker();
    t.scheduler();
    const machine = await t.createMachine({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 60, End: true } } });
    waiting = (await t.runtime.engine.start({ stateMachineArn: machine, input: "{}" })).executionArn;
  });
  afterAll(() => t.close());

  it("stops polling as soon as the signal aborts, without ending the stream", async () => {
    await expect.poll(async () => (await getHistory(t.runtime.db, waiting)).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    const recorded = recordingSink();
    const controller = new AbortController();
    const done = streamHistory(t.runtime.db, waiting, recorded.sink, {
      after: 0,
      pollMs: 20,
      pageBytes: 1_048_576,
      signal: controller.signal,
    });
    await expect.poll(() => recorded.idles()).toBeGreaterThan(2);
    expect(recorded.events.map((e) => e.type)).toEqual(["ExecutionStarted", "WaitStateEntered"]);
    controller.abort();
    await done;
    const idlesAtAbort = recorded.idles();
    await new Promise((r) => setTimeout(r, 100));
    expect(recorded.idles()).toBe(idlesAtAbort);
    expect(recorded.ends).toEqual([]);
  });

  it("reads a long history in batches and ends once the execution has closed", async () => {
    await t.runtime.engine.stop(waiting, "Test.Stop");
    // Pages of one event by count, then pages cut by bytes (each event is some hundred bytes).
    for (const page of [{ batchSize: 1, pageBytes: 1_048_576 }, { pageBytes: 1024 }]) {
      const recorded = recordingSink();
      await streamHistory(t.runtime.db, waiting, recorded.sink, { after: 0, pollMs: 20, ...page, signal: new AbortController().signal });
      expect(recorded.events).toEqual(await getHistory(t.runtime.db, waiting));
      expect(recorded.events.at(-1)?.type).toBe("ExecutionAborted");
      expect(recorded.ends).toEqual(["ABORTED"]);
    }
  });

  it("raises ExecutionDoesNotExist for an unknown execution", async () => {
    const unknown = "arn:aws:states:us-east-1:123456789012:execution:none:none";
    await expect(
      streamHistory(t.runtime.db, unknown, recordingSink().sink, {
        after: 0,
        pollMs: 20,
        pageBytes: 1_048_576,
        signal: new AbortController().signal,
      }),
    ).rejects.toMatchObject({
      name: "ExecutionDoesNotExist",
    });
  });
});
