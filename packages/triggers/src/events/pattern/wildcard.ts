/**
 * `wildcard` values: `*` stands for any run of characters, `\*` for an asterisk and `\\` for a backslash.
 * As AWS (Event Ruler) refuses them: two wildcards side by side, and a backslash before anything else.
 */
import { InvalidEventPattern } from "./pattern-types.ts";

export function wildcardRegex(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === "\\") {
      const next = pattern[i + 1];
      if (next !== "*" && next !== "\\") throw new InvalidEventPattern(`Invalid escape character at pos ${i + 1} of wildcard "${pattern}"`);
      source += `\\${next}`;
      i++;
    } else if (c === "*") {
      if (pattern[i + 1] === "*") throw new InvalidEventPattern(`Consecutive wildcard characters at pos ${i + 1} of wildcard "${pattern}"`);
      source += "[\\s\\S]*";
    } else {
      source += c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }
  }
  return new RegExp(`^${source}$`, "u");
}
