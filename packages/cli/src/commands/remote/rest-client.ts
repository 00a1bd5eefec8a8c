/**
 * The CLI's side of the REST API (`/v1`): JSON calls and the history event stream, over global fetch.
 * Failures become CliErrors named as the server named them, so the user sees `ExecutionDoesNotExist: …`.
 */
import { CliError } from "../../cli-error.ts";
import { readServerSentEvents, type ServerSentEvent } from "./server-sent-events.ts";

/** A failure the server answered with; `diagnostics` come with InvalidDefinition. */
export class RemoteError extends CliError {
  constructor(
    code: string,
    message: string,
    readonly diagnostics: unknown[] = [],
  ) {
    super(code, message);
  }
}

export class RestClient {
  private readonly base: string;

  constructor(
    endpoint: string,
    private readonly token: string | undefined,
  ) {
    this.base = `${endpoint.replace(/\/+$/, "")}/v1`;
  }

  /** The decoded JSON answer of a 2xx response; anything else throws. */
  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.send(path, {
      method,
      headers: this.headers(body === undefined ? {} : { "content-type": "application/json" }),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw await failure(response);
    return (await response.json()) as T;
  }

  /** The server-sent events of `path`, as they arrive, until the server ends the stream. */
  async *stream(path: string): AsyncGenerator<ServerSentEvent> {
    const response = await this.send(path, { headers: this.headers({ accept: "text/event-stream" }) });
    if (!response.ok) throw await failure(response);
    if (!response.body) throw new CliError("StreamInterrupted", `${this.base}${path} sent no event stream`);
    yield* readServerSentEvents(response.body);
  }

  private headers(extra: Record<string, string>): Record<string, string> {
    return { ...extra, ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) };
  }

  private async send(path: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(`${this.base}${path}`, init);
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError("EndpointUnreachable", `cannot reach ${this.base}: ${cause?.code ?? cause?.message ?? (e as Error).message}`);
    }
  }
}

async function failure(response: Response): Promise<CliError> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown; diagnostics?: unknown };
    if (typeof body.error === "string") {
      return new RemoteError(
        body.error,
        typeof body.message === "string" ? body.message : "",
        Array.isArray(body.diagnostics) ? body.diagnostics : [],
      );
    }
  } catch {
    // Not one of the API's own error bodies (a proxy's page, say): report the status instead.
  }
  return new CliError("HttpError", `the server answered ${response.status} ${response.statusText}`);
}
