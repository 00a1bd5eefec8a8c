/**
 * Narrowing a listing to ARNs that match SQL LIKE patterns: how the API lists only what a scoped
 * credential may see, in the query itself, so pages stay full and their tokens only ever name rows the
 * caller may see.
 */
import { type Column, like, or, type SQL, sql } from "drizzle-orm";

/**
 * LIKE patterns (backslash escapes `%` and `_`); a row matches when its ARN matches any of them. An empty
 * list matches nothing; leaving the filter out matches everything.
 */
export type ArnPatterns = readonly string[];

export function arnMatches(column: Column, patterns: ArnPatterns | undefined): SQL | undefined {
  if (patterns === undefined) return undefined;
  if (patterns.length === 0) return sql`false`;
  return or(...patterns.map((pattern) => like(column, pattern)));
}
