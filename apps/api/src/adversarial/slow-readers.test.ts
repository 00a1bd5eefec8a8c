/**
 * Adversarial: clients of the event stream that never read, or read slowly, and callers asking for the
 * largest history pages, against the live API with authentication on. An execution of 122 events of
 * 250 KB (30 MB of history) once let 40 such readers exhaust the heap and kill the process; what the
 * server holds for them must stay bounded.
 */
import { connect, type Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventStreamParser } from "../../../../packages/cli/src/commands/remote/server-sent-events.ts";
import { largeInput, passChain, passChainEvents } from "../large-history.ts";
import { type LiveApi, send, signedHeaders, startLiveApi } from "../live-api.ts";

const READER = "slow-reader-token-5b1e9a";
const OTHER = "other-reader-token-c07d4f";
const KEY = { id: "AKIDSLOWREADERS", secret: "slow-readers-secret/Qm3vT8+zLkP" };
/** Streams one credential may hold open (the 21st is refused). */
const STREAMS = 20;
const PASSES = 60;
const EVENTS = passChainEvents(PASSES);
const PAGE_BYTES = 1_048_576;
/** A page holds at most STEPWISE_HISTORY_PAGE_BYTES of stored events, plus their ids, types and timestamps. */
const PAGE_BOUND = PAGE_BYTES + 64 * 1024;
/**
 * Generous: 20 streams each holding a page (about 1 MB) and the event being written stay far below it;
 * holding each stream's 500-event batch (the whole 30 MB history) went far above it.
 */
const HEAP_BOUND = 128 * 1024 * 1024;

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** What the process holds: the heap after a full collection. */
function retainedHeap(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

let api: LiveApi;
let executionArn: string;
let streamPath: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  api = await startLiveApi({
    apiEnv: {
      STEPWISE_API_TOKENS: `${READER},${OTHER}`,
      STEPWISE_ACCESS_KEYS: `${KEY.id}:${KEY.secret}`,
      STEPWISE_MAX_STREAMS_PER_CREDENTIAL: String(STREAMS),
    },
    prepare: (t) => {
      t.worker();
    },
  });
  const machine = await api.t.createMachine(passChain(PASSES), "large-events");
  ({ executionArn } = await api.t.runtime.engine.start({ stateMachineArn: machine, input: largeInput(250_000) }));
  expect((await api.t.waitFor(executionArn, 40_000)).execution.status).toBe("SUCCEEDED");
  streamPath = `/v1/executions/${encodeURIComponent(executionArn)}/events/stream`;
}, 60_000);

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await api?.close();
});

/** A client that asks for the stream and then never reads a byte of the answer. */
function neverReading(token: string): Socket {
  const [host, port] = api.host.split(":");
  const socket = connect(Number(port), host!);
  socket.pause();
  socket.write(`GET ${streamPath} HTTP/1.1\r\nHost: ${api.host}\r\nAuthorization: Bearer ${token}\r\n\r\n`);
  socket.on("error", () => {});
  sockets.push(socket);
  return socket;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe("event stream readers that never read", () => {
  it("keep the server's heap bounded, however many events wait for them", async () => {
    const before = retainedHeap();
    for (let i = 0; i < STREAMS; i++) neverReading(READER);
    let growth = 0;
    for (let sample = 0; sample < 16; sample++) {
      await sleep(300);
      growth = Math.max(growth, retainedHeap() - before);
    }
    expect(growth).toBeLessThan(HEAP_BOUND);
  }, 30_000);

  it("hold at most STEPWISE_MAX_STREAMS_PER_CREDENTIAL streams: the next is 429, other credentials still stream", async () => {
    while (sockets.length < STREAMS) neverReading(READER);
    const refusal = async () => {
      const answer = await send(api.endpoint, "GET", streamPath, bearer(READER));
      return { status: answer.status, body: answer.status === 429 ? answer.json() : undefined };
    };
    // The streams just opened (when this test runs alone) may still be on their way in.
    await expect.poll(refusal, { timeout: 5_000 }).toEqual({
      status: 429,
      body: { error: "ThrottlingException", message: expect.stringContaining("STEPWISE_MAX_STREAMS_PER_CREDENTIAL") },
    });
    expect((await send(api.endpoint, "GET", streamPath, bearer(OTHER))).status).toBe(200);

    // A reader that goes away gives its slot back.
    sockets.shift()?.destroy();
    await expect.poll(async () => (await send(api.endpoint, "GET", streamPath, bearer(READER))).status, { timeout: 5_000 }).toBe(200);
  });
});

describe("a slow reader", () => {
  it("still gets every event in order, then end, and no listener is left behind", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const response = await fetch(`${api.endpoint}${streamPath}`, { headers: bearer(OTHER) });
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      const parser = new EventStreamParser();
      const received: { event: string; id?: string }[] = [];
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        received.push(...parser.push(decoder.decode(value, { stream: true })));
        // Slower than loopback: the server's writes outrun this reader and wait for the socket to drain.
        await sleep(2);
      }
      expect(received.filter((m) => m.event === "history").map((m) => Number(m.id))).toEqual(
        Array.from({ length: EVENTS }, (_, i) => i + 1),
      );
      expect(received.at(-1)).toMatchObject({ event: "end" });
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning").map((w) => w.message)).toEqual([]);
  }, 30_000);
});

describe("callers asking for the largest history pages", () => {
  it("get at most a byte-bounded page from GetExecutionHistory, ten at a time", async () => {
    const body = JSON.stringify({ executionArn, maxResults: 1000 });
    const headers = signedHeaders({
      host: api.host,
      region: api.region,
      keyId: KEY.id,
      secret: KEY.secret,
      target: "GetExecutionHistory",
      body,
    });
    const answers = await Promise.all(Array.from({ length: 10 }, () => send(api.endpoint, "POST", "/", headers, body)));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.text.length).toBeLessThanOrEqual(PAGE_BOUND);
      expect(answer.json().nextToken).toEqual(expect.any(String));
    }
  });

  it("get byte-bounded pages from the REST history, and following nextAfter reads every event", async () => {
    const ids: number[] = [];
    let after: number | undefined;
    do {
      const query = after === undefined ? "" : `?after=${after}`;
      const page = await send(api.endpoint, "GET", `/v1/executions/${encodeURIComponent(executionArn)}/history${query}`, bearer(READER));
      expect(page.status).toBe(200);
      expect(page.text.length).toBeLessThanOrEqual(PAGE_BOUND);
      ids.push(...page.json().events.map((event: { id: number }) => event.id));
      after = page.json().nextAfter;
    } while (after !== undefined);
    expect(ids).toEqual(Array.from({ length: EVENTS }, (_, i) => i + 1));
  });
});
