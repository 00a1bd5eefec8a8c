/**
 * The JSON reading behind `$parse`. AWS's parser is stricter than `JSON.parse`: it refuses an object
 * that repeats a key and a number too large for a double, where `JSON.parse` keeps the last value
 * and returns Infinity.
 */
import type { Json } from "../json.ts";

const JSON_WHITESPACE = new Set([" ", "\t", "\n", "\r"]);

/** Parses `text` as one JSON document, or returns undefined when AWS would call it invalid JSON. */
export function parseStrictJson(text: string): Json | undefined {
  let value: Json;
  try {
    value = JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
  if (hasNonFiniteNumber(value) || repeatsAKey(text)) return undefined;
  return value;
}

function hasNonFiniteNumber(value: Json): boolean {
  if (typeof value === "number") return !Number.isFinite(value);
  if (Array.isArray(value)) return value.some(hasNonFiniteNumber);
  if (value !== null && typeof value === "object") return Object.values(value).some(hasNonFiniteNumber);
  return false;
}

/** Scans text already known to be valid JSON for an object that names the same key twice. */
function repeatsAKey(text: string): boolean {
  const open: (Set<string> | null)[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i];
    if (char === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
      const literal = text.slice(i, end + 1);
      i = end + 1;
      const keys = open.at(-1);
      if (keys) {
        let next = i;
        while (JSON_WHITESPACE.has(text[next] ?? "")) next += 1;
        if (text[next] === ":") {
          const key = JSON.parse(literal) as string;
          if (keys.has(key)) return true;
          keys.add(key);
        }
      }
      continue;
    }
    if (char === "{") open.push(new Set());
    else if (char === "[") open.push(null);
    else if (char === "}" || char === "]") open.pop();
    i += 1;
  }
  return false;
}
