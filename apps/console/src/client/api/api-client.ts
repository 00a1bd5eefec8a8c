/** The REST API (`/v1`) from the browser: JSON in and out, the bearer token on every call, named errors. */
import type { Json } from "../../../../../packages/asl/src/json.ts";
import type {
  ApiErrorBody,
  CreatedStateMachine,
  DeletedStateMachine,
  Execution,
  ExecutionPage,
  MapRun,
  MapRunSummary,
  RedrivenExecution,
  StartedExecution,
  StateMachine,
  StateMachinePage,
  StoppedExecution,
  UpdatedStateMachine,
} from "./api-types.ts";

/** A failed call: the HTTP status (0 when the API could not be reached) and the API's error name. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body?: ApiErrorBody,
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** What to tell the user, with what to do about it where that is clear. */
  describe(): string {
    if (this.status === 401) return `Not authorised (401): ${this.message} Set a valid API token with the "API token" button at the top.`;
    if (this.status === 403) return `Forbidden (403): ${this.message}`;
    if (this.status === 0) return `Cannot reach the Stepwise API: ${this.message}`;
    return `${this.code} (${this.status}): ${this.message}`;
  }
}

export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.describe();
  return error instanceof Error ? error.message : String(error);
}

/** What a new machine can be given besides its name and definition. */
export interface NewMachineSettings {
  type?: "STANDARD" | "EXPRESS";
  description?: string;
}

export interface ExecutionFilter {
  /** One machine's executions, else every machine's. */
  machine?: string;
  /** A Map Run's child executions (instead of a machine's). */
  mapRun?: string;
  status?: string;
  /** A piece of the execution name (the all-executions listing only). */
  name?: string;
  nextToken?: string;
  maxResults?: number;
}

const enc = encodeURIComponent;

export class ApiClient {
  constructor(
    private readonly token: () => string,
    readonly base = "/v1",
  ) {}

  headers(extra: Record<string, string> = {}): Record<string, string> {
    const token = this.token();
    return { ...(token === "" ? {} : { authorization: `Bearer ${token}` }), ...extra };
  }

  /** Turns a non-2xx answer into an ApiError carrying the API's `{ error, message }`. */
  async check(response: Response): Promise<Response> {
    if (response.ok) return response;
    const text = await response.text().catch(() => "");
    let body: ApiErrorBody | undefined;
    try {
      body = JSON.parse(text) as ApiErrorBody;
    } catch {
      body = undefined;
    }
    const message = body?.message ?? (text.trim() || response.statusText || "The request failed");
    throw new ApiError(response.status, body?.error ?? `HTTP ${response.status}`, message, body);
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, { ...init, headers: this.headers(init.headers as Record<string, string>) });
    } catch (error) {
      if (init.signal?.aborted) throw error;
      throw new ApiError(0, "NetworkError", error instanceof Error ? error.message : String(error));
    }
    return this.check(response);
  }

  async request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const response = await this.fetch(path, {
      method,
      ...(signal ? { signal } : {}),
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
    });
    return (await response.json()) as T;
  }

  listStateMachines(nextToken?: string): Promise<StateMachinePage> {
    const query = new URLSearchParams({ maxResults: "1000", ...(nextToken ? { nextToken } : {}) });
    return this.request("GET", `/state-machines?${query}`);
  }

  getStateMachine(name: string): Promise<StateMachine> {
    return this.request("GET", `/state-machines/${enc(name)}`);
  }

  createStateMachine(name: string, definition: string, settings: NewMachineSettings = {}): Promise<CreatedStateMachine> {
    return this.request("POST", "/state-machines", {
      name,
      definition,
      ...(settings.type ? { type: settings.type } : {}),
      ...(settings.description ? { description: settings.description } : {}),
    });
  }

  /** DELETED at once, or DELETING while executions still run (they keep it until they end). */
  deleteStateMachine(name: string): Promise<DeletedStateMachine> {
    return this.request("DELETE", `/state-machines/${enc(name)}`);
  }

  updateStateMachine(name: string, definition: string): Promise<UpdatedStateMachine> {
    return this.request("PUT", `/state-machines/${enc(name)}`, { definition });
  }

  listExecutions(filter: ExecutionFilter): Promise<ExecutionPage> {
    const query = new URLSearchParams({ maxResults: String(filter.maxResults ?? 50) });
    if (filter.status) query.set("status", filter.status);
    if (filter.name && filter.machine === undefined && filter.mapRun === undefined) query.set("name", filter.name);
    if (filter.nextToken) query.set("nextToken", filter.nextToken);
    const path =
      filter.mapRun !== undefined
        ? `/map-runs/${enc(filter.mapRun)}/executions`
        : filter.machine === undefined
          ? "/executions"
          : `/state-machines/${enc(filter.machine)}/executions`;
    return this.request("GET", `${path}?${query}`);
  }

  getExecution(arn: string, signal?: AbortSignal): Promise<Execution> {
    return this.request("GET", `/executions/${enc(arn)}`, undefined, signal);
  }

  /** The Map Runs of an execution's distributed Map states, in the order they started. */
  async listMapRuns(executionArn: string, signal?: AbortSignal): Promise<MapRunSummary[]> {
    return (await this.request<{ mapRuns: MapRunSummary[] }>("GET", `/executions/${enc(executionArn)}/map-runs`, undefined, signal))
      .mapRuns;
  }

  getMapRun(mapRunArn: string, signal?: AbortSignal): Promise<MapRun> {
    return this.request("GET", `/map-runs/${enc(mapRunArn)}`, undefined, signal);
  }

  startExecution(machine: string, input: Json, name?: string): Promise<StartedExecution> {
    return this.request("POST", `/state-machines/${enc(machine)}/executions`, { input, ...(name ? { name } : {}) });
  }

  stopExecution(arn: string): Promise<StoppedExecution> {
    return this.request("POST", `/executions/${enc(arn)}/stop`, {});
  }

  /** Runs a FAILED, TIMED_OUT or ABORTED execution again from where it stopped. */
  redriveExecution(arn: string): Promise<RedrivenExecution> {
    return this.request("POST", `/executions/${enc(arn)}/redrive`, {});
  }
}
