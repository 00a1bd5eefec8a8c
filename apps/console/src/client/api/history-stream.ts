/**
 * Follows an execution's history over `GET /executions/:arn/events/stream`. EventSource cannot send
 * the bearer token, so this reads the stream with fetch; after a dropped connection it resumes from
 * the last event it saw.
 */
import type { HistoryEvent } from "../../../../../packages/asl/src/history-events.ts";
import { EventStreamParser } from "../../../../../packages/cli/src/commands/remote/server-sent-events.ts";
import { type ApiClient, ApiError } from "./api-client.ts";
import type { ExecutionStatus } from "./api-types.ts";

export interface HistoryListener {
  /** New events, in order, a batch per chunk the server sent. */
  events(events: HistoryEvent[]): void;
  /** The execution has closed and every event was delivered. */
  end(status: ExecutionStatus): void;
  error(error: unknown): void;
}

const RECONNECT_MS = 1000;

/**
 * Resolves when the history is complete, the stream fails for good, or `signal` aborts. `from` is the
 * id of the last event the caller already has (following again after a redrive).
 */
export async function followHistory(api: ApiClient, arn: string, listener: HistoryListener, signal: AbortSignal, from = 0): Promise<void> {
  let after = from;
  while (!signal.aborted) {
    try {
      const response = await api.fetch(`/executions/${encodeURIComponent(arn)}/events/stream?after=${after}`, { signal });
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      const parser = new EventStreamParser();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        const batch: HistoryEvent[] = [];
        for (const message of parser.push(decoder.decode(value, { stream: true }))) {
          if (message.event === "history") {
            const event = JSON.parse(message.data) as HistoryEvent;
            batch.push(event);
            after = event.id;
          } else if (message.event === "end") {
            if (batch.length > 0) listener.events(batch);
            listener.end((JSON.parse(message.data) as { status: ExecutionStatus }).status);
            return;
          } else if (message.event === "error") {
            const body = JSON.parse(message.data) as { error: string; message: string };
            throw new ApiError(500, body.error, body.message, body);
          }
        }
        if (batch.length > 0) listener.events(batch);
      }
    } catch (error) {
      if (signal.aborted) return;
      // A refusal (bad token, unknown execution) will not change by asking again.
      if (error instanceof ApiError && error.status !== 0) {
        listener.error(error);
        return;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
  }
}
