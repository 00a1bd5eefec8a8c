import { InvalidToken } from "./errors.ts";

export interface Page<T> {
  items: T[];
  /** Opaque; pass it back to get the next page. Absent on the last page. */
  nextToken?: string;
}

export interface PageRequest {
  /** 1..1000; defaults to 100, AWS's page size for list calls. */
  maxResults?: number;
  nextToken?: string;
}

export const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

export function pageSize(request: PageRequest): number {
  const size = request.maxResults ?? 0;
  return size <= 0 ? DEFAULT_PAGE_SIZE : Math.min(size, MAX_PAGE_SIZE);
}

/**
 * What each part of a cursor is: a text key (a name, an ARN), a timestamp as `toISOString` wrote it, or a
 * position (an event id, a version, an offset: a non-negative integer Postgres's `integer` holds).
 */
export type CursorPart = "text" | "timestamp" | "position";
type Decoded<Parts extends readonly CursorPart[]> = { [K in keyof Parts]: Parts[K] extends "position" ? number : string };

/** Keyset cursors: the sort key of the last item shown, so pages stay stable while rows are added. */
export function encodeToken(scope: string, key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify([scope, ...key])).toString("base64url");
}

const MAX_POSITION = 2_147_483_647;
const MAX_TEXT_LENGTH = 2048;

const validPart: Record<CursorPart, (value: unknown) => boolean> = {
  text: (value) => typeof value === "string" && value.length <= MAX_TEXT_LENGTH && !value.includes("\u0000"),
  timestamp: (value) => typeof value === "string" && !Number.isNaN(Date.parse(value)) && new Date(value).toISOString() === value,
  position: (value) => Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= MAX_POSITION,
};

/**
 * The cursor's sort key, or InvalidToken (AWS's 400 for a token it did not issue) when the token was not
 * issued for this listing. Every part is checked for its kind here, so a forged token never reaches SQL:
 * a date Postgres cannot read or a NaN id failed the statement, a 500 for a client's mistake.
 */
export function decodeToken<const Parts extends readonly CursorPart[]>(scope: string, token: string, parts: Parts): Decoded<Parts> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw new InvalidToken("Invalid token");
  }
  if (
    !Array.isArray(parsed) ||
    parsed[0] !== scope ||
    parsed.length !== parts.length + 1 ||
    !parts.every((part, i) => validPart[part](parsed[i + 1]))
  ) {
    throw new InvalidToken("Invalid token");
  }
  return parsed.slice(1) as Decoded<Parts>;
}

/** Fetches `size + 1` rows and turns the extra one into the presence of a next page. */
export function toPage<T>(rows: T[], size: number, tokenOf: (last: T) => string): Page<T> {
  if (rows.length <= size) return { items: rows };
  const items = rows.slice(0, size);
  return { items, nextToken: tokenOf(items[items.length - 1] as T) };
}
