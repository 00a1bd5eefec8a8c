/** CreateEventBus, DescribeEventBus, DeleteEventBus and ListEventBuses; `default` exists without being created. */
import {
  createEventBus,
  DEFAULT_EVENT_BUS,
  deleteEventBus,
  type EventBusRecord,
  EventsResourceAlreadyExists,
  ensureEventBus,
  getEventBus,
  listEventBuses,
} from "@stepwise/storage";
import { busNameOf, checkNewBusName, eventBusArn } from "@stepwise/triggers";
import { arnContext, type EventsRequest, limitOf, optionalText, requireUnscoped, seconds, tokenOf } from "./events-context.ts";
import { validation } from "./events-error.ts";

export const ensureDefaultBus = (request: EventsRequest) =>
  ensureEventBus(request.runtime.db, DEFAULT_EVENT_BUS, eventBusArn(arnContext(request.runtime), DEFAULT_EVENT_BUS), new Date());

const busView = (bus: EventBusRecord) => ({
  Name: bus.name,
  Arn: bus.arn,
  Description: bus.description ?? undefined,
  CreationTime: seconds(bus.createdAt),
  LastModifiedTime: seconds(bus.lastModifiedAt),
});

export async function createEventBusAction(request: EventsRequest) {
  requireUnscoped(request, "a scoped credential manages rules of its state machines, not event buses");
  const { body, runtime } = request;
  if (body.EventSourceName !== undefined) throw validation("EventSourceName: partner event sources are not supported");
  const name = checkNewBusName(body.Name);
  if (name === DEFAULT_EVENT_BUS) throw new EventsResourceAlreadyExists(`Event bus ${name} already exists.`);
  const arn = eventBusArn(arnContext(runtime), name);
  await createEventBus(runtime.db, { name, arn, description: optionalText(body.Description, "Description", 512), now: new Date() });
  return { EventBusArn: arn, Description: optionalText(body.Description, "Description", 512) };
}

export async function describeEventBusAction(request: EventsRequest) {
  const name = busNameOf(request.body.Name, arnContext(request.runtime), "Name");
  if (name === DEFAULT_EVENT_BUS) await ensureDefaultBus(request);
  return busView(await getEventBus(request.runtime.db, name));
}

export async function deleteEventBusAction(request: EventsRequest) {
  requireUnscoped(request, "a scoped credential manages rules of its state machines, not event buses");
  const name = busNameOf(request.body.Name, arnContext(request.runtime), "Name");
  if (request.body.Name === undefined) throw validation("Name: is required");
  if (name === DEFAULT_EVENT_BUS) throw validation("Cannot delete event bus default.");
  await deleteEventBus(request.runtime.db, name);
  return {};
}

export async function listEventBusesAction(request: EventsRequest) {
  await ensureDefaultBus(request);
  const namePrefix = optionalText(request.body.NamePrefix, "NamePrefix", 256);
  const page = await listEventBuses(
    request.runtime.db,
    { namePrefix },
    { maxResults: limitOf(request.body.Limit), nextToken: tokenOf(request.body.NextToken) },
  );
  return { EventBuses: page.items.map(busView), NextToken: page.nextToken };
}
