import { InvalidName } from "./engine-errors.ts";

// AWS: 1–80 characters; no whitespace, brackets, wildcards, special punctuation or control characters.
const FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:]/u;

function hasControlCharacter(name: string): boolean {
  for (const char of name) {
    const code = char.codePointAt(0) ?? 0;
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

/** Names of state machines, executions and activities, by AWS's rules. */
export function checkName(name: string, what: string): void {
  if (name.length < 1 || name.length > 80) throw new InvalidName(`Invalid Name: '${name}' (${what} names must be 1 to 80 characters)`);
  if (FORBIDDEN.test(name) || hasControlCharacter(name))
    throw new InvalidName(
      `Invalid Name: '${name}' (${what} names may not contain whitespace, brackets, wildcards, special punctuation or control characters)`,
    );
}

export function validateExecutionName(name: string): void {
  checkName(name, "execution");
}
