import { InvalidName } from "./engine-errors.ts";

// AWS: 1–80 characters; no whitespace, brackets, wildcards, special punctuation or control characters.
const FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/u;

/** Names of state machines, executions and activities, by AWS's rules. */
export function checkName(name: string, what: string): void {
  if (name.length < 1 || name.length > 80) throw new InvalidName(`Invalid Name: '${name}' (${what} names must be 1 to 80 characters)`);
  if (FORBIDDEN.test(name)) throw new InvalidName(`Invalid Name: '${name}' (${what} names may not contain whitespace, brackets, wildcards, special punctuation or control characters)`);
}

export function validateExecutionName(name: string): void {
  checkName(name, "execution");
}
