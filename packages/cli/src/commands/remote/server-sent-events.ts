/** A reader for `text/event-stream` bodies, following the WHATWG parsing rules the CLI needs. */

export interface ServerSentEvent {
  /** `message` when the server named none. */
  event: string;
  data: string;
  /** The last `id:` seen so far in the stream (ids carry over to later events). */
  id?: string;
}

/** Feeds text in chunks of any size; returns the events each chunk completes. */
export class EventStreamParser {
  private buffer = "";
  private event = "";
  private data: string[] = [];
  private lastId: string | undefined;

  push(text: string): ServerSentEvent[] {
    this.buffer += text;
    const complete: ServerSentEvent[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      // A lone \r at the end may be the first half of \r\n: wait for more.
      if (!match || (match[0] === "\r" && match.index === this.buffer.length - 1)) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      const dispatched = this.line(line);
      if (dispatched) complete.push(dispatched);
    }
    return complete;
  }

  private line(line: string): ServerSentEvent | undefined {
    if (line === "") return this.dispatch();
    if (line.startsWith(":")) return undefined;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.event = value;
    else if (field === "data") this.data.push(value);
    else if (field === "id" && !value.includes("\u0000")) this.lastId = value;
    return undefined;
  }

  private dispatch(): ServerSentEvent | undefined {
    const event = this.event || "message";
    const data = this.data;
    this.event = "";
    this.data = [];
    if (data.length === 0) return undefined;
    return { event, data: data.join("\n"), ...(this.lastId === undefined ? {} : { id: this.lastId }) };
  }
}

/** The events of a response body, as they arrive; ends when the body does. */
export async function* readServerSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const parser = new EventStreamParser();
  const decoder = new TextDecoder();
  for await (const chunk of body) {
    yield* parser.push(decoder.decode(chunk, { stream: true }));
  }
  yield* parser.push(decoder.decode());
}
