/**
 * The official `@aws-sdk/client-<service>` packages, loaded with a dynamic import when a service is first
 * used, one client per service per worker. The service name comes from a resource that matched
 * `[a-z0-9-]+`, so only `@aws-sdk/client-*` packages can ever be imported.
 */
import type { Json, JsonObject } from "@stepwise/asl";
import { sdkClientOptions } from "@stepwise/aws-config";
import { TaskFailure } from "@stepwise/runtime";
import type { IntegrationsConfig } from "./config.ts";

interface SdkCommand {
  middlewareStack: {
    add(
      middleware: (next: (args: unknown) => Promise<{ response: unknown }>) => (args: unknown) => Promise<unknown>,
      options: object,
    ): void;
  };
}
type CommandClass = new (input: object) => SdkCommand;
interface SdkClient {
  config: { serviceId: string };
  send(command: SdkCommand, options: { abortSignal: AbortSignal }): Promise<Record<string, unknown>>;
  destroy(): void;
}
type ClientClass = new (config: object) => SdkClient;

export interface LoadedService {
  /** The SDK's service id: `DynamoDB`, `SQS`. */
  serviceId: string;
  client: SdkClient;
  commands: Readonly<Record<string, unknown>>;
}

/** What one call answered: the SDK's output (without `$metadata`) and the HTTP exchange. */
export interface SdkAnswer {
  output: Record<string, unknown>;
  statusCode: number | undefined;
  requestId: string | undefined;
  headers: Record<string, string>;
}

export class SdkClients {
  private readonly loaded = new Map<string, Promise<LoadedService>>();

  constructor(private readonly config: IntegrationsConfig) {}

  service(name: string): Promise<LoadedService> {
    let service = this.loaded.get(name);
    if (!service) {
      service = this.load(name);
      // A failed load (package missing) is tried again next time: the package may be installed meanwhile.
      service.catch(() => this.loaded.delete(name));
      this.loaded.set(name, service);
    }
    return service;
  }

  /** Calls `<Action>Command` of the service with the task's parameters. */
  async call(name: string, action: string, input: JsonObject, signal: AbortSignal): Promise<SdkAnswer> {
    const service = await this.service(name);
    const commandName = `${action.charAt(0).toUpperCase()}${action.slice(1)}Command`;
    const Command = Object.hasOwn(service.commands, commandName) ? service.commands[commandName] : undefined;
    if (typeof Command !== "function") {
      throw new TaskFailure("States.Runtime", `The ${name} SDK (@aws-sdk/client-${name}) has no action '${action}' (no ${commandName})`);
    }
    const command = new (Command as CommandClass)(input);
    let headers: Record<string, string> = {};
    command.middlewareStack.add(
      (next) => async (args) => {
        const out = await next(args);
        headers = (out.response as { headers?: Record<string, string> }).headers ?? {};
        return out;
      },
      { step: "deserialize", name: "stepwiseResponseHeaders" },
    );
    const { $metadata, ...output } = await service.client.send(command, { abortSignal: signal });
    const metadata = ($metadata ?? {}) as { httpStatusCode?: number; requestId?: string };
    return { output, statusCode: metadata.httpStatusCode, requestId: metadata.requestId, headers };
  }

  close(): void {
    for (const service of this.loaded.values()) service.then((s) => s.client.destroy()).catch(() => {});
    this.loaded.clear();
  }

  private async load(name: string): Promise<LoadedService> {
    const packageName = `@aws-sdk/client-${name}`;
    let module: Record<string, unknown>;
    try {
      module = (await import(packageName)) as Record<string, unknown>;
    } catch (error) {
      if ((error as { code?: string }).code !== "ERR_MODULE_NOT_FOUND") throw error;
      throw new TaskFailure("States.Runtime", `No SDK is installed for the service '${name}': install ${packageName} in the worker`);
    }
    const clientName = Object.keys(module).find((key) => /^[A-Za-z0-9]+Client$/.test(key) && typeof module[key] === "function");
    if (!clientName) throw new TaskFailure("States.Runtime", `${packageName} exports no client`);
    const Client = module[clientName] as ClientClass;
    // The endpoint variable (and S3's addressing) goes by the SDK's service id, which only a client knows.
    const probe = new Client({ region: this.config.aws.region });
    const serviceId = probe.config.serviceId;
    probe.destroy();
    const client = new Client(sdkClientOptions(this.config.aws, serviceId));
    return { serviceId, client, commands: module };
  }
}

/** The SDK's output as JSON: bytes as base64 (as AWS's integrations return them), dates as ISO text. */
export function toJson(value: unknown): Json {
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toJson);
  if (value instanceof Set) return [...value].map(toJson);
  if (value !== null && typeof value === "object") {
    const out: JsonObject = {};
    for (const [key, v] of Object.entries(value)) {
      if (v === undefined) continue;
      Object.defineProperty(out, key, { value: toJson(v), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  if (typeof value === "bigint") return Number(value);
  return (value ?? null) as Json;
}
