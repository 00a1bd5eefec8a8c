/** Values as the AWS JSON protocol writes them. */

/** Timestamps are epoch seconds, with milliseconds as the fraction. */
export function epochSeconds(date: Date | string): number {
  return (typeof date === "string" ? Date.parse(date) : date.getTime()) / 1000;
}

/** `undefined` and `null` members are left out, as AWS leaves out members it has no value for. */
export function present<T extends Record<string, unknown>>(value: T): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as never;
}
