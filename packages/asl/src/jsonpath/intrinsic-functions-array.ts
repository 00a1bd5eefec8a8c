/** States.Array, ArrayPartition, ArrayContains, ArrayRange, ArrayGetItem, ArrayLength, ArrayUnique. */
import type { Json } from "../json.ts";
import { invalidArguments, truncatedInteger } from "./intrinsic-arguments.ts";
import type { IntrinsicFunction } from "./intrinsic-function.ts";
import { javaText } from "./intrinsic-java-text.ts";

const MAX_RANGE_ITEMS = 1000;

export const arrayFunctions = {
  "States.Array": {
    params: [],
    rest: "any",
    apply: (args) => [...args],
  },

  "States.ArrayPartition": {
    params: ["array", "number"],
    apply: ([array, size]) => {
      const items = array as Json[];
      const chunk = truncatedInteger("States.ArrayPartition", size as number);
      if (chunk <= 0) throw invalidArguments("States.ArrayPartition");
      const chunks: Json[] = [];
      for (let i = 0; i < items.length; i += chunk) chunks.push(items.slice(i, i + chunk));
      return chunks;
    },
  },

  "States.ArrayContains": {
    params: ["array", "any"],
    // AWS compares the Java text of the values: reordered object keys do not match, while the
    // number 1 matches the string "1" and true matches "true".
    apply: ([array, value]) => {
      const wanted = javaText(value as Json);
      return (array as Json[]).some((item) => javaText(item) === wanted);
    },
  },

  "States.ArrayRange": {
    params: ["number", "number", "number"],
    apply: ([first, last, step]) => {
      const start = truncatedInteger("States.ArrayRange", first as number);
      const end = truncatedInteger("States.ArrayRange", last as number);
      const increment = truncatedInteger("States.ArrayRange", step as number);
      if (increment === 0) throw invalidArguments("States.ArrayRange");
      const span = (end - start) / increment;
      const count = span < 0 ? 0 : Math.floor(span) + 1;
      if (count > MAX_RANGE_ITEMS) throw invalidArguments("States.ArrayRange");
      return Array.from({ length: count }, (_, i) => start + i * increment);
    },
  },

  "States.ArrayGetItem": {
    params: ["array", "number"],
    apply: ([array, position]) => {
      const items = array as Json[];
      const index = truncatedInteger("States.ArrayGetItem", position as number);
      // Observed on AWS: any index into an empty array yields null instead of failing.
      if (items.length === 0) return null;
      if (index < 0 || index >= items.length) throw invalidArguments("States.ArrayGetItem");
      return items[index] as Json;
    },
  },

  "States.ArrayLength": {
    params: ["array"],
    apply: ([array]) => (array as Json[]).length,
  },

  "States.ArrayUnique": {
    params: ["array"],
    // Structural equality, object key order ignored; the first occurrence keeps its place.
    apply: ([array]) => {
      const seen = new Set<string>();
      return (array as Json[]).filter((item) => {
        const key = canonicalJson(item);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    },
  },
} satisfies Record<string, IntrinsicFunction>;

function canonicalJson(value: Json): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k] as Json)}`).join(",")}}`;
}
