import { describe, expect, it } from "vitest";
import { EventStreamParser, readServerSentEvents } from "./server-sent-events.ts";

describe("EventStreamParser", () => {
  it("parses named events with ids and skips comments", () => {
    const parser = new EventStreamParser();
    const events = parser.push(': keep-alive\n\nid: 1\nevent: history\ndata: {"id":1}\n\nevent: end\ndata: {}\n\n');
    expect(events).toEqual([
      { event: "history", data: '{"id":1}', id: "1" },
      { event: "end", data: "{}", id: "1" },
    ]);
  });

  it("joins multi-line data and defaults the event name to message", () => {
    expect(new EventStreamParser().push("data: a\ndata:b\n\n")).toEqual([{ event: "message", data: "a\nb" }]);
  });

  it("waits for the blank line, whatever the chunking and line endings", () => {
    const parser = new EventStreamParser();
    const text = "id: 7\r\nevent: history\r\ndata: x\r\n\r\nevent: end\rdata: y\r\r\n";
    const events = [...text].flatMap((char) => parser.push(char));
    expect(events).toEqual([
      { event: "history", data: "x", id: "7" },
      { event: "end", data: "y", id: "7" },
    ]);
  });

  it("drops an event without data", () => {
    expect(new EventStreamParser().push("event: ping\n\n")).toEqual([]);
  });
});

describe("readServerSentEvents", () => {
  it("decodes UTF-8 split across chunks", async () => {
    const bytes = new TextEncoder().encode("data: héllo\n\n");
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 8));
        controller.enqueue(bytes.slice(8));
        controller.close();
      },
    });
    const events = [];
    for await (const event of readServerSentEvents(body)) events.push(event);
    expect(events).toEqual([{ event: "message", data: "héllo" }]);
  });
});
