/**
 * EventBridge's optimized integration: `arn:aws:states:::events:putEvents` (and `.waitForTaskToken`).
 * As AWS's: the parameters are PutEvents' `Entries`, a `Detail` that is not text is sent as its JSON, the
 * state machine's and the execution's ARNs are appended to each entry's `Resources`, the result is
 * PutEvents' response (`Entries`, `FailedEntryCount`, no HTTP metadata), and a response with failed
 * entries fails the task with `EventBridge.FailedEntry`, the response as the cause.
 *
 * Where the events go: to this server's own buses (the API's PutEvents, so rules fire and nothing
 * accepted is lost) unless an external EventBridge endpoint is configured (AWS_ENDPOINT_URL_EVENTBRIDGE
 * or AWS_ENDPOINT_URL); then entries that name a bus of this server still go here and the others go to
 * that endpoint through @aws-sdk/client-eventbridge.
 */

import { isJsonObject, type Json, type JsonObject } from "@stepwise/asl";
import { endpointFor } from "@stepwise/aws-config";
import { parseArn, stateMachineArn, TaskFailure } from "@stepwise/runtime";
import type { LocalEventBus, PutEventsResponse } from "@stepwise/triggers";
import type { IntegrationsConfig } from "./config.ts";
import { sdkCallFailure } from "./error-names.ts";
import type { SdkClients } from "./sdk-clients.ts";

type Entry = Record<string, unknown>;
type ResultEntry = PutEventsResponse["Entries"][number];

export interface EventBridgeCall {
  parameters: JsonObject;
  executionArn: string;
  signal: AbortSignal;
  /** Checks that the worker may call the external EventBridge (enabled, credentials): only entries bound there need it. */
  allowExternal(): void;
}

export async function eventBridgeOptimized(
  clients: SdkClients,
  config: IntegrationsConfig,
  localBus: LocalEventBus | undefined,
  action: string,
  call: EventBridgeCall,
): Promise<Json> {
  if (action !== "putEvents") {
    throw new TaskFailure(
      "States.Runtime",
      `events:${action} is not an optimized EventBridge integration (putEvents); use arn:aws:states:::aws-sdk:eventbridge:${action}`,
    );
  }
  const entries = call.parameters.Entries;
  if (!Array.isArray(entries) || entries.length === 0 || !entries.every((e) => isJsonObject(e))) {
    throw new TaskFailure("EventBridge.ValidationException", "Entries: must be a list of 1 to 10 entries (objects)");
  }
  const sent = entries.map((entry) => outgoingEntry(entry as JsonObject, call.executionArn));
  const external = endpointFor(config.aws, "EventBridge") !== undefined;
  const local: number[] = [];
  const remote: number[] = [];
  for (const [i, entry] of sent.entries()) {
    if (!external || (localBus && (await localBus.owns(entry.EventBusName)))) local.push(i);
    else remote.push(i);
  }
  const results: ResultEntry[] = new Array(sent.length);
  if (local.length > 0) {
    if (!localBus) {
      throw new TaskFailure(
        "States.Runtime",
        "This worker has no event bus of its own for events:putEvents: build its integration handler with localEventBus (@stepwise/triggers), or set AWS_ENDPOINT_URL_EVENTBRIDGE to an EventBridge endpoint",
      );
    }
    const answer = await onLocalBus(
      localBus,
      local.map((i) => wireEntry(sent[i] as Entry)),
    );
    for (const [k, i] of local.entries()) results[i] = answer.Entries[k] as ResultEntry;
  }
  if (remote.length > 0) {
    call.allowExternal();
    const answer = await onExternalBus(
      clients,
      remote.map((i) => sdkEntry(sent[i] as Entry)),
      call.signal,
    );
    for (const [k, i] of remote.entries()) results[i] = answer[k] as ResultEntry;
  }
  const response = { Entries: results, FailedEntryCount: results.filter((r) => "ErrorCode" in r).length };
  if (response.FailedEntryCount > 0) throw new TaskFailure("EventBridge.FailedEntry", JSON.stringify(response));
  return response as unknown as Json;
}

/** The entry as the task sends it: Detail as JSON text, the state machine and execution added to Resources. */
function outgoingEntry(entry: JsonObject, executionArn: string): Entry {
  const { Detail, Resources } = entry;
  const resources = Array.isArray(Resources) ? [...Resources] : Resources === undefined ? [] : Resources;
  if (Array.isArray(resources)) resources.push(...ownArns(executionArn));
  return {
    ...entry,
    ...(Detail === undefined ? {} : { Detail: typeof Detail === "string" ? Detail : JSON.stringify(Detail) }),
    Resources: resources,
  };
}

/** The state machine's ARN and the execution's, as AWS appends them. */
function ownArns(executionArn: string): string[] {
  const parsed = parseArn(executionArn);
  const machine = parsed?.resourceName.split(":")[0];
  return parsed && machine ? [stateMachineArn(parsed, machine), executionArn] : [executionArn];
}

/** `Time` as the JSON protocol carries it (epoch seconds): a task may give it as ISO-8601 text or a number. */
function wireEntry(entry: Entry): Entry {
  const seconds = timeOf(entry.Time);
  return seconds === undefined ? entry : { ...entry, Time: seconds };
}

function sdkEntry(entry: Entry): Entry {
  const seconds = timeOf(entry.Time);
  return seconds === undefined ? entry : { ...entry, Time: new Date(seconds * 1000) };
}

function timeOf(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string") {
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) throw new TaskFailure("EventBridge.ValidationException", `Entries[].Time: '${value}' is not a timestamp`);
    return ms / 1000;
  }
  return undefined;
}

async function onLocalBus(bus: LocalEventBus, entries: Entry[]): Promise<PutEventsResponse> {
  try {
    return await bus.putEvents(entries);
  } catch (error) {
    const name = (error as Error).name;
    // The request as a whole refused (too many entries, too large): AWS's exception, as EventBridge names it.
    if (name === "ValidationException") throw new TaskFailure("EventBridge.ValidationException", (error as Error).message);
    throw error;
  }
}

async function onExternalBus(clients: SdkClients, entries: Entry[], signal: AbortSignal): Promise<ResultEntry[]> {
  try {
    const { output } = await clients.call("eventbridge", "putEvents", { Entries: entries } as unknown as JsonObject, signal);
    return ((output.Entries as ResultEntry[] | undefined) ?? []).map((r) =>
      "ErrorCode" in r && r.ErrorCode
        ? { ErrorCode: r.ErrorCode, ErrorMessage: r.ErrorMessage }
        : { EventId: (r as { EventId: string }).EventId },
    );
  } catch (error) {
    throw sdkCallFailure(error, "EventBridge", false);
  }
}
