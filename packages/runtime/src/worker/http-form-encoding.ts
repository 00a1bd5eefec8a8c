/**
 * URL encoding of a JSON object as the HTTP Task's `Transform: { RequestBodyEncoding: "URL_ENCODED" }`
 * does it, with `RequestEncodingOptions.ArrayFormat` choosing how arrays are spelled.
 */
import type { Json, JsonObject } from "@stepwise/asl";

export const arrayFormats = ["INDICES", "BRACKETS", "REPEAT", "COMMAS"] as const;
export type ArrayFormat = (typeof arrayFormats)[number];

/** `{ a: [1, 2], b: { c: "x y" } }` → `[["a[0]","1"], ["a[1]","2"], ["b[c]","x y"]]` (INDICES). */
export function formPairs(object: JsonObject, arrayFormat: ArrayFormat): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [key, value] of Object.entries(object)) addPairs(pairs, key, value, arrayFormat);
  return pairs;
}

/** The `application/x-www-form-urlencoded` text of `formPairs`. */
export function formEncode(object: JsonObject, arrayFormat: ArrayFormat): string {
  return new URLSearchParams(formPairs(object, arrayFormat)).toString();
}

function addPairs(pairs: [string, string][], key: string, value: Json, arrayFormat: ArrayFormat): void {
  if (Array.isArray(value)) {
    if (arrayFormat === "COMMAS" && value.every(isScalar)) {
      pairs.push([key, value.map(scalarText).join(",")]);
      return;
    }
    // COMMAS cannot spell nested arrays or objects; those items fall back to indices.
    value.forEach((item, index) => {
      const itemKey = arrayFormat === "REPEAT" ? key : arrayFormat === "BRACKETS" ? `${key}[]` : `${key}[${index}]`;
      addPairs(pairs, itemKey, item, arrayFormat);
    });
    return;
  }
  if (value !== null && typeof value === "object") {
    for (const [child, childValue] of Object.entries(value)) addPairs(pairs, `${key}[${child}]`, childValue, arrayFormat);
    return;
  }
  pairs.push([key, scalarText(value)]);
}

function isScalar(value: Json): value is string | number | boolean | null {
  return value === null || typeof value !== "object";
}

function scalarText(value: string | number | boolean | null): string {
  return value === null ? "" : String(value);
}
