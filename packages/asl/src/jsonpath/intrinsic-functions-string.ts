/** States.Format and States.StringSplit. */
import type { Json } from "../json.ts";
import { invalidArguments } from "./intrinsic-arguments.ts";
import type { IntrinsicFunction } from "./intrinsic-function.ts";
import { javaText } from "./intrinsic-java-text.ts";

const TEMPLATE_ESCAPES = "'{}\\";

/**
 * Splits a States.Format template (its text with escapes still in) at the `{}` placeholders, resolving
 * `\'`, `\{`, `\}` and `\\`. Returns null when the template is malformed: a brace that is not part of
 * `{}`, or any other backslash sequence.
 */
export function splitFormatTemplate(template: string): string[] | null {
  const pieces: string[] = [];
  let current = "";
  for (let i = 0; i < template.length; i++) {
    const c = template[i] as string;
    if (c === "\\") {
      const escaped = template[i + 1];
      if (escaped === undefined || !TEMPLATE_ESCAPES.includes(escaped)) return null;
      current += escaped;
      i++;
    } else if (c === "{") {
      if (template[i + 1] !== "}") return null;
      pieces.push(current);
      current = "";
      i++;
    } else if (c === "}") {
      return null;
    } else {
      current += c;
    }
  }
  pieces.push(current);
  return pieces;
}

/**
 * Java's `StringTokenizer`, which is what AWS's StringSplit behaves like: every character of
 * `delimiters` separates tokens, and empty tokens are dropped (`", , ,"` split on `,` is `[" ", " "]`).
 */
function tokenize(text: string, delimiters: string): string[] {
  // A set, not `delimiters.includes`: a long delimiter string over a long text would cost their product.
  const separators = new Set(delimiters);
  const tokens: string[] = [];
  let current = "";
  for (const c of text) {
    if (separators.has(c)) {
      if (current !== "") tokens.push(current);
      current = "";
    } else {
      current += c;
    }
  }
  if (current !== "") tokens.push(current);
  return tokens;
}

export const stringFunctions = {
  "States.Format": {
    params: ["string"],
    rest: "any",
    apply: ([template, ...values], call) => {
      const first = call.args[0];
      // A literal template keeps its escapes so that `\{}` stays text; a template read from a path is
      // parsed the same way.
      const source = first?.kind === "literal" && first.raw !== undefined ? first.raw : (template as string);
      const pieces = splitFormatTemplate(source);
      if (pieces === null || pieces.length - 1 !== values.length) throw invalidArguments("States.Format");
      return pieces.reduce((text, piece, i) => (i === 0 ? piece : `${text}${javaText(values[i - 1] as Json)}${piece}`), "");
    },
  },

  "States.StringSplit": {
    params: ["string", "string"],
    apply: ([text, delimiters]) => tokenize(text as string, delimiters as string),
  },
} satisfies Record<string, IntrinsicFunction>;
