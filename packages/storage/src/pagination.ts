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

/** Keyset cursors: the sort key of the last item shown, so pages stay stable while rows are added. */
export function encodeToken(scope: string, key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify([scope, ...key])).toString("base64url");
}

/** The cursor's sort key, or throws InvalidToken if the token was not issued for this listing. */
export function decodeToken(scope: string, token: string, arity: number): (string | number)[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw new InvalidToken("Invalid token");
  }
  if (
    !Array.isArray(parsed) ||
    parsed[0] !== scope ||
    parsed.length !== arity + 1 ||
    !parsed.slice(1).every((part) => typeof part === "string" || typeof part === "number")
  ) {
    throw new InvalidToken("Invalid token");
  }
  return parsed.slice(1) as (string | number)[];
}

/** Fetches `size + 1` rows and turns the extra one into the presence of a next page. */
export function toPage<T>(rows: T[], size: number, tokenOf: (last: T) => string): Page<T> {
  if (rows.length <= size) return { items: rows };
  const items = rows.slice(0, size);
  return { items, nextToken: tokenOf(items[items.length - 1] as T) };
}
