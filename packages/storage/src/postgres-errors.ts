/** drizzle wraps driver errors in DrizzleQueryError; the Postgres SQLSTATE sits on the error or its causes. */
export function sqlState(error: unknown): string | undefined {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

export const isUniqueViolation = (error: unknown): boolean => sqlState(error) === "23505";

/** The table a constraint violation names (Postgres reports it with the error). */
export function violatedTable(error: unknown): string | undefined {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    const table = (current as { table_name?: unknown }).table_name;
    if (typeof table === "string") return table;
  }
  return undefined;
}

/**
 * Postgres text cannot hold U+0000: 22021 for the character in a text value, 22P05 for its \u0000 escape
 * in jsonb. A request that carries one is the caller's to fix, not a server fault.
 */
export function isUnstorableText(error: unknown): boolean {
  const state = sqlState(error);
  return state === "22021" || state === "22P05";
}
