/**
 * PutEvents' entries, checked one by one as EventBridge checks them (a bad entry fails alone, with its
 * ErrorCode and ErrorMessage; the request as a whole is refused only for its size or number of entries),
 * and turned into the event EventBridge delivers: version, id, detail-type, source, account, time,
 * region, resources, detail.
 */
import { randomUUID } from "node:crypto";
import { ValidationException } from "../validation.ts";
import { busNameOf, type EventsArnContext } from "./event-names.ts";

/** AWS: the entries of one request together hold at most 256 KB, counted as calculate-putevents-entry-size says. */
export const MAX_REQUEST_ENTRIES_BYTES = 262_144;

export interface DeliveredEvent {
  version: "0";
  id: string;
  "detail-type": string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export type CheckedEntry = { ok: true; busName: string; event: DeliveredEvent } | { ok: false; ErrorCode: string; ErrorMessage: string };

const missing = (field: string): CheckedEntry => ({
  ok: false,
  ErrorCode: "InvalidArgument",
  ErrorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.`,
});
const invalid = (field: string, reason: string): CheckedEntry => ({
  ok: false,
  ErrorCode: "InvalidArgument",
  ErrorMessage: `Parameter ${field} is not valid. Reason: ${reason}`,
});

const bytes = (value: unknown) => (typeof value === "string" ? Buffer.byteLength(value, "utf8") : 0);

/** The request's entries: 1 to 10 of them, together within 256 KB; otherwise a ValidationException. */
export function checkEntriesList(value: unknown): Array<Record<string, unknown>> {
  if (!Array.isArray(value) || value.length < 1 || value.length > 10) {
    throw new ValidationException("Entries", "must be a list of 1 to 10 entries");
  }
  let size = 0;
  for (const entry of value) {
    const e = (typeof entry === "object" && entry !== null ? entry : {}) as Record<string, unknown>;
    size += (e.Time !== undefined ? 14 : 0) + bytes(e.Source) + bytes(e.DetailType) + bytes(e.Detail);
    if (Array.isArray(e.Resources)) for (const r of e.Resources) size += bytes(r);
  }
  if (size > MAX_REQUEST_ENTRIES_BYTES) {
    throw new ValidationException(
      "Entries",
      `Total size of the entries in the request is over the limit (${size} bytes of at most ${MAX_REQUEST_ENTRIES_BYTES}).`,
    );
  }
  return value as Array<Record<string, unknown>>;
}

export function checkEntry(entry: Record<string, unknown>, context: EventsArnContext, now: Date): CheckedEntry {
  const { Source, DetailType, Detail, Resources, Time } = entry;
  if (typeof Source !== "string" || Source === "") return missing("Source");
  if (typeof DetailType !== "string" || DetailType === "") return missing("DetailType");
  if (typeof Detail !== "string" || Detail === "") return missing("Detail");
  if (Source.length > 256) return invalid("Source", "Source is at most 256 characters.");
  if (DetailType.length > 128) return invalid("DetailType", "DetailType is at most 128 characters.");
  // AWS services' sources are theirs alone.
  if (Source.startsWith("aws."))
    return { ok: false, ErrorCode: "NotAuthorizedForSourceException", ErrorMessage: "Not authorized for the source." };
  let detail: unknown;
  try {
    detail = JSON.parse(Detail);
  } catch {
    detail = undefined;
  }
  if (typeof detail !== "object" || detail === null || Array.isArray(detail)) {
    return { ok: false, ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." };
  }
  if (Resources !== undefined && (!Array.isArray(Resources) || !Resources.every((r) => typeof r === "string" && r.length <= 2048))) {
    return invalid("Resources", "Resources must be a list of ARNs.");
  }
  let time = now;
  if (Time !== undefined && Time !== null) {
    const seconds = typeof Time === "number" ? Time : Number.NaN;
    if (!Number.isFinite(seconds)) return invalid("Time", "Time must be a timestamp.");
    time = new Date(Math.floor(seconds) * 1000);
  }
  let busName: string;
  try {
    busName = busNameOf(entry.EventBusName, context);
  } catch (error) {
    return invalid("EventBusName", (error as Error).message);
  }
  return {
    ok: true,
    busName,
    event: {
      version: "0",
      id: randomUUID(),
      "detail-type": DetailType,
      source: Source,
      account: context.accountId,
      time: time.toISOString().replace(/\.\d{3}Z$/, "Z"),
      region: context.region,
      resources: (Resources as string[] | undefined) ?? [],
      detail: detail as Record<string, unknown>,
    },
  };
}
