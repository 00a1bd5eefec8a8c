/**
 * The regex engine JSONata evaluates `/…/` literals with, in place of RegExp: linear-time matching
 * (see ../regex/linear-regex.ts) that stops at the evaluation's deadline. JSONata's guard only runs
 * between evaluation steps, and one `$match` or `$replace` is a single step, however long its regex
 * backtracks.
 *
 * JSONata constructs the engine from the literal's RegExp and drives it as a global RegExp: it sets
 * `lastIndex`, calls `exec`, and reads `index`, the groups and the new `lastIndex`.
 */
import { type DeadlineCheck, LinearRegex } from "../regex/linear-regex.ts";

/** What JSONata needs of a regex engine instance. */
interface JsonataRegex {
  lastIndex: number;
  exec(text: string): RegExpExecArray | null;
}

export type JsonataRegexEngine = new (literal: RegExp) => JsonataRegex;

/** Literals compile once per distinct source and flags; the bound keeps a long-lived worker's cache finite. */
const CACHE_LIMIT = 1_000;
const compiled = new Map<string, LinearRegex>();

function compile(literal: RegExp): LinearRegex {
  const key = `${literal.flags}/${literal.source}`;
  let regex = compiled.get(key);
  if (regex === undefined) {
    regex = LinearRegex.compile(literal.source, literal.flags);
    if (compiled.size >= CACHE_LIMIT) compiled.clear();
    compiled.set(key, regex);
  }
  return regex;
}

/** An engine whose every search calls `check` as it reads, so that it ends when the evaluation's time does. */
export function regexEngine(check: DeadlineCheck): JsonataRegexEngine {
  return class BoundedRegex implements JsonataRegex {
    lastIndex = 0;
    private readonly regex: LinearRegex;

    constructor(literal: RegExp) {
      this.regex = compile(literal);
    }

    exec(text: string): RegExpExecArray | null {
      const match = this.regex.exec(text, this.lastIndex, check);
      if (match === null) {
        this.lastIndex = 0;
        return null;
      }
      this.lastIndex = match.end;
      const result = [...match.groups] as unknown as RegExpExecArray;
      result.index = match.start;
      result.input = text;
      return result;
    }
  };
}
