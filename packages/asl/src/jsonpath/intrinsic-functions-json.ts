/** States.StringToJson, States.JsonToString and States.JsonMerge. */
import type { Json, JsonObject } from "../json.ts";
import { invalidArguments } from "./intrinsic-arguments.ts";
import type { IntrinsicFunction } from "./intrinsic-function.ts";

/** Java's `String.trim` notion of blank: only characters up to U+0020. */
function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x20) return false;
  return true;
}

export const jsonFunctions = {
  "States.StringToJson": {
    params: ["string"],
    apply: ([text]) => {
      const source = text as string;
      if (isBlank(source)) return null;
      let parsed: Json;
      try {
        parsed = JSON.parse(source) as Json;
      } catch {
        throw invalidArguments("States.StringToJson");
      }
      return Object.is(parsed, -0) ? 0 : parsed;
    },
  },

  "States.JsonToString": {
    params: ["any"],
    apply: ([value]) => JSON.stringify(value),
  },

  "States.JsonMerge": {
    params: ["object", "object", "any"],
    // Only a shallow merge exists; AWS rejects `true` for the deep-merge flag but reads any other
    // value, even a non-boolean, as false.
    apply: ([left, right, deep]) => {
      if (deep === true) throw invalidArguments("States.JsonMerge");
      return { ...(left as JsonObject), ...(right as JsonObject) };
    },
  },
} satisfies Record<string, IntrinsicFunction>;
