/** States.Base64Encode, States.Base64Decode and States.Hash. */
import { createHash } from "node:crypto";
import { HASH_ALGORITHMS } from "../hash-algorithms.ts";
import { invalidArguments } from "./intrinsic-arguments.ts";
import type { IntrinsicFunction } from "./intrinsic-function.ts";
import { javaText } from "./intrinsic-java-text.ts";

/** AWS's limit on the input of the encoding and hashing functions, in characters. */
const MAX_INPUT_CHARACTERS = 10_000;

export const isSupportedHashAlgorithm = (name: string): boolean => HASH_ALGORITHMS.has(name);

export const encodingFunctions = {
  "States.Base64Encode": {
    params: ["string"],
    apply: ([text]) => {
      const source = text as string;
      if (source.length > MAX_INPUT_CHARACTERS) throw invalidArguments("States.Base64Encode");
      return Buffer.from(source, "utf8").toString("base64");
    },
  },

  "States.Base64Decode": {
    params: ["string"],
    // Lenient like AWS's decoder: surrounding spaces, missing padding and stray characters are
    // skipped rather than rejected.
    apply: ([text]) => {
      const source = text as string;
      if (source.length > MAX_INPUT_CHARACTERS) throw invalidArguments("States.Base64Decode");
      return Buffer.from(source, "base64").toString("utf8");
    },
  },

  "States.Hash": {
    // AWS hashes a non-string value's Java text instead of rejecting it.
    params: ["any", "string"],
    apply: ([value, algorithm]) => {
      const nodeAlgorithm = HASH_ALGORITHMS.get(algorithm as string);
      const text = javaText(value ?? null);
      if (nodeAlgorithm === undefined || text.length > MAX_INPUT_CHARACTERS) throw invalidArguments("States.Hash");
      return createHash(nodeAlgorithm).update(text, "utf8").digest("hex");
    },
  },
} satisfies Record<string, IntrinsicFunction>;
