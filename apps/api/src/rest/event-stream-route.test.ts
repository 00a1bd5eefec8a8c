import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readServerSentEvents, type ServerSentEvent } from "../../../../packages/cli/src/commands/remote/server-sent-events.ts";
import { startTestApi, type TestApi } from "./test-api.ts";

const enc = encodeURIComponent;
const slow = {
  StartAt: "Before",
  States: {
    Before: { Type: "Pass", Next: "Pause" },
    Pause: { Type: "Wait", Seconds: 1, Next: "After" },
    After: { Type: "Pass", End: true },
  },
};

interface Received extends ServerSentEvent {
  at: number;
}

describe("REST /v1/executions/:arn/events/stream", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
    await api.call("POST", "/state-machines", { name: "slow", definition: slow });
  });
  afterAll(() => api.close());

  async function stream(executionArn: string, query = "", headers: Record<string, string> = {}) {
    const response = await fetch(`${api.endpoint}/v1/executions/${enc(executionArn)}/events/stream${query}`, { headers });
    const received: Received[] = [];
    for await (const event of readServerSentEvents(response.body as ReadableStream<Uint8Array>))
      received.push({ ...event, at: Date.now() });
    return { response, received };
  }

  it("delivers the events of a running execution as they happen, then end", async () => {
    const started = await api.call("POST", "/state-machines/slow/executions", { input: { n: 1 } });
    const { response, received } = await stream(started.body.executionArn);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);

    const described = await api.call("GET", `/executions/${enc(started.body.executionArn)}`);
    expect(described.body.status).toBe("SUCCEEDED");
    const history = await api.call("GET", `/executions/${enc(started.body.executionArn)}/history`);
    const historyEvents = received.filter((e) => e.event === "history");
    expect(historyEvents.map((e) => JSON.parse(e.data))).toEqual(history.body.events);
    expect(historyEvents.map((e) => e.id)).toEqual(history.body.events.map((e: { id: number }) => String(e.id)));
    expect(received.at(-1)).toMatchObject({ event: "end", data: JSON.stringify({ status: "SUCCEEDED" }) });
    // Live: the first events reached the client while the Wait state was still waiting.
    expect(received[0]!.at).toBeLessThan(Date.parse(described.body.stopDate) - 500);
  });

  it("resumes after ?after= or Last-Event-ID, ?after= winning", async () => {
    const started = await api.call("POST", "/state-machines/slow/executions", {});
    const { execution } = await api.t.waitFor(started.body.executionArn);
    expect(execution.status).toBe("SUCCEEDED");
    const ids = (r: Received[]) => r.filter((e) => e.event === "history").map((e) => Number(e.id));
    const total = (await api.call("GET", `/executions/${enc(started.body.executionArn)}/history`)).body.events.length as number;
    const range = (from: number) => Array.from({ length: total - from }, (_, i) => from + i + 1);

    expect(ids((await stream(started.body.executionArn, "?after=3")).received)).toEqual(range(3));
    expect(ids((await stream(started.body.executionArn, "", { "last-event-id": "5" })).received)).toEqual(range(5));
    expect(ids((await stream(started.body.executionArn, "?after=2", { "last-event-id": "5" })).received)).toEqual(range(2));
    const none = await stream(started.body.executionArn, `?after=${total}`);
    expect(none.received.map((e) => e.event)).toEqual(["end"]);
  });

  it("refuses a bad starting point with 400 before streaming", async () => {
    const started = await api.call("POST", "/state-machines/slow/executions", {});
    const path = `/executions/${enc(started.body.executionArn)}/events/stream`;
    expect(await api.call("GET", `${path}?after=-1`)).toMatchObject({ status: 400, body: { error: "ValidationException" } });
    expect(await api.call("GET", path, undefined, { "last-event-id": "abc" })).toMatchObject({
      status: 400,
      body: { error: "ValidationException" },
    });
  });
});
