/**
 * Follows an execution's history stream until the server says it has ended, resuming after the last
 * event received when the connection drops.
 */
import { CliError } from "../../cli-error.ts";
import type { RestClient } from "./rest-client.ts";

/** Reconnections in a row that brought no new event before giving up. */
const MAX_FRUITLESS_RECONNECTS = 3;

/** Calls `onEvent` with each event's JSON text in order; resolves with the execution's final status. */
export async function followHistory(client: RestClient, executionArn: string, onEvent: (json: string) => void): Promise<string> {
  let after = 0;
  let fruitless = 0;
  for (;;) {
    let progressed = false;
    for await (const message of client.stream(`/executions/${encodeURIComponent(executionArn)}/events/stream?after=${after}`)) {
      if (message.event === "history") {
        onEvent(message.data);
        after = Number(message.id ?? after);
        progressed = true;
      } else if (message.event === "end") {
        return (JSON.parse(message.data) as { status: string }).status;
      } else if (message.event === "error") {
        const body = JSON.parse(message.data) as { error: string; message: string };
        throw new CliError(body.error, body.message);
      }
    }
    fruitless = progressed ? 0 : fruitless + 1;
    if (fruitless > MAX_FRUITLESS_RECONNECTS)
      throw new CliError("StreamInterrupted", `the event stream of ${executionArn} keeps closing before the execution ends`);
  }
}
