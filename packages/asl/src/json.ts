/** A JSON value as it travels through a state machine. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Byte length of a value serialised the way AWS measures payloads (UTF-8 JSON text). */
export function payloadSize(value: Json): number {
  return Buffer.byteLength(JSON.stringify(value) ?? "", "utf8");
}

/**
 * Whether text takes at most `limit` bytes in UTF-8. A UTF-16 code unit never takes more than 3 bytes,
 * so text short enough needs no count, and nearly all state data is far below AWS's quota.
 */
export function textFitsBytes(text: string, limit: number): boolean {
  return text.length * 3 <= limit || Buffer.byteLength(text, "utf8") <= limit;
}

/** Deep equality of JSON values, ignoring object key order. */
export function jsonEquals(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => jsonEquals(item, b[i] as Json));
  }
  if (typeof a === "object" && typeof b === "object" && !Array.isArray(b)) {
    const keysA = Object.keys(a);
    if (keysA.length !== Object.keys(b).length) return false;
    return keysA.every((k) => Object.hasOwn(b, k) && jsonEquals(a[k] as Json, b[k] as Json));
  }
  return false;
}
