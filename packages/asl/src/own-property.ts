/**
 * Objects indexed by names a user chose (state names, handler and resource names, variables, header
 * names): a plain lookup of `constructor`, `toString` or `valueOf` finds Object.prototype's functions,
 * and a plain assignment to `__proto__` replaces the prototype instead of adding a field. These read and
 * write own properties only.
 */
import type { Json, JsonObject } from "./json.ts";

/** `record[key]` when `key` is one of its own properties; undefined otherwise, never a built-in. */
export function ownValue<V>(record: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Sets an own property even for the key `__proto__`, which plain assignment would treat as the prototype. */
export function setJsonProperty(target: JsonObject, key: string, value: Json): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
