import { type Column, type SQL, sql } from "drizzle-orm";

/**
 * `column = any($n::text[])`: the values as ONE array parameter. drizzle's `inArray` binds a parameter per
 * value, and Postgres refuses a statement of more than 65,535: a 100,000-item Map's threads or tokens
 * made every statement naming them fail (MAX_PARAMETERS_EXCEEDED), again at each retry.
 */
export function anyOf(column: Column, values: readonly string[]): SQL {
  return sql`${column} = any(${sql.param([...values])}::text[])`;
}
