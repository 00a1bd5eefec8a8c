/**
 * `StringMatches`: `*` stands for any run of characters (including none); `\*` is a literal asterisk and
 * `\\` a literal backslash. Matched with a linear two-pointer scan rather than a RegExp, so that a pattern
 * with many `*` cannot backtrack exponentially over a large input.
 */

/** A pattern as code units, with `null` for each unescaped `*`. */
type Pattern = ReadonlyArray<string | null>;

const patterns = new Map<string, Pattern>();
const PATTERN_CACHE_LIMIT = 10_000;

export function matchesWildcard(value: string, pattern: string): boolean {
  let compiled = patterns.get(pattern);
  if (compiled === undefined) {
    compiled = compilePattern(pattern);
    if (patterns.size >= PATTERN_CACHE_LIMIT) patterns.clear();
    patterns.set(pattern, compiled);
  }
  return matchCompiled(value, compiled);
}

function compilePattern(pattern: string): Pattern {
  const tokens: Array<string | null> = [];
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    const next = pattern[i + 1];
    if (char === "\\" && (next === "*" || next === "\\")) {
      tokens.push(next);
      i++;
    } else {
      tokens.push(char === "*" ? null : char);
    }
  }
  return tokens;
}

function matchCompiled(value: string, pattern: Pattern): boolean {
  let v = 0;
  let p = 0;
  let star = -1;
  let resumeAt = 0;
  while (v < value.length) {
    const token = pattern[p];
    if (p < pattern.length && token !== null && token === value[v]) {
      v++;
      p++;
    } else if (p < pattern.length && token === null) {
      star = p++;
      resumeAt = v;
    } else if (star >= 0) {
      p = star + 1;
      v = ++resumeAt;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === null) p++;
  return p === pattern.length;
}
