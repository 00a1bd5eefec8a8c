/**
 * Regular expressions that cannot hold the event loop. A definition's regex runs over data a caller
 * chooses, so a backtracking engine (`/^(a+)+$/` over "aaaa…!") turns one request into seconds or
 * hours of blocked thread. RE2 (pure-JS re2js) matches in time linear in the input, but linear is not
 * small: a program of a thousand instructions over 256 KB still runs for seconds. So every search
 * also reads its input through a string that checks a deadline every few thousand characters, and
 * stops with `RegexDeadlineExceeded` once the evaluation's time is up.
 *
 * RE2 has no backreferences or lookaround; a pattern using them fails to compile (`RegexSyntaxError`)
 * rather than falling back to a backtracking engine.
 */
import { MatcherInputBase, RE2JS, RE2JSException } from "re2js";

/** Thrown when a search runs past the deadline it was given. */
export class RegexDeadlineExceeded extends Error {
  override readonly name = "RegexDeadlineExceeded";
}

/** A pattern RE2 cannot compile: a syntax error, or a feature only backtracking engines have. */
export class RegexSyntaxError extends Error {
  override readonly name = "RegexSyntaxError";
}

export interface RegexMatch {
  /** The whole match (group 0) and each capturing group, `undefined` where a group did not take part. */
  readonly groups: ReadonlyArray<string | undefined>;
  readonly start: number;
  readonly end: number;
}

/** Called every few thousand characters a search reads; throws to stop the search. */
export type DeadlineCheck = () => void;

/** How many characters a search reads between two deadline checks (a clock read costs ~50 ns). */
const CHECK_EVERY = 256;

export class LinearRegex {
  private constructor(
    private readonly compiled: RE2JS,
    readonly source: string,
  ) {}

  /** Compiles a JavaScript-style pattern; flags `i`, `m` and `s` are honoured, others ignored. */
  static compile(source: string, flags = ""): LinearRegex {
    let mask = 0;
    if (flags.includes("i")) mask |= RE2JS.CASE_INSENSITIVE;
    if (flags.includes("m")) mask |= RE2JS.MULTILINE;
    if (flags.includes("s")) mask |= RE2JS.DOTALL;
    try {
      return new LinearRegex(RE2JS.compile(RE2JS.translateRegExp(source), mask), source);
    } catch (error) {
      if (error instanceof RE2JSException) throw new RegexSyntaxError(error.message);
      throw error;
    }
  }

  /** The first match starting at or after `from`, or null. */
  exec(text: string, from: number, check: DeadlineCheck): RegexMatch | null {
    // A caller may run many short searches in one step (`$replace` over every match): each counts.
    check();
    if (from > text.length) return null;
    const matcher = this.compiled.matcher(new WatchedInput(text, check));
    if (!matcher.find(from)) return null;
    const groups: Array<string | undefined> = [];
    for (let group = 0; group <= matcher.groupCount(); group++) groups.push(matcher.group(group) ?? undefined);
    return { groups, start: matcher.start(), end: matcher.end() };
  }

  /** Whether the whole of `text` matches. */
  matchesWhole(text: string, check: DeadlineCheck): boolean {
    check();
    const matcher = this.compiled.matcher(new WatchedInput(text, check));
    return matcher.matches();
  }
}

/**
 * The text a search reads, as a `String` object whose `charCodeAt` counts: re2js steps through its
 * input one `charCodeAt` at a time in every engine it uses (NFA, DFA, one-pass, bounded backtracking),
 * so counting there bounds them all.
 */
class WatchedText extends String {
  private reads = 0;
  constructor(
    text: string,
    private readonly check: DeadlineCheck,
  ) {
    super(text);
  }

  override charCodeAt(index: number): number {
    if (++this.reads >= CHECK_EVERY) {
      this.reads = 0;
      this.check();
    }
    return super.charCodeAt(index);
  }
}

class WatchedInput extends MatcherInputBase {
  private readonly text: WatchedText;
  constructor(
    private readonly plain: string,
    check: DeadlineCheck,
  ) {
    super();
    this.text = new WatchedText(plain, check);
  }

  override getEncoding(): number {
    return MatcherInputBase.Encoding.UTF_16;
  }

  override asCharSequence(): string {
    // re2js accepts String objects wherever it accepts strings; its typings only say string.
    return this.text as unknown as string;
  }

  override asBytes(): number[] {
    throw new Error("a watched regex input is read as UTF-16 only");
  }

  override length(): number {
    return this.plain.length;
  }
}

/** A deadline check that throws `RegexDeadlineExceeded` once `deadline` (a `performance.now()` time) has passed. */
export function deadlineAt(deadline: number): DeadlineCheck {
  return () => {
    if (performance.now() > deadline) throw new RegexDeadlineExceeded("regular expression evaluation ran past its deadline");
  };
}
