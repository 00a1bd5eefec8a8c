import { InvalidName } from "./engine-errors.ts";

// AWS (CreateStateMachine, StartExecution, CreateActivity): 1–80 characters; no white space, brackets,
// wildcards or the special characters " # % \ ^ | ~ ` $ & , ; : /.
const FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/u;

/** Why a code point may not appear in a name, or undefined when it may. */
function forbiddenCodePoint(code: number): string | undefined {
  // AWS: control characters U+0000–U+001F, U+007F–U+009F and U+FFFE–U+FFFF.
  if (code <= 0x1f || (code >= 0x7f && code <= 0x9f) || code === 0xfffe || code === 0xffff) return "a control character";
  // AWS: surrogates U+D800–U+DFFF. Only a lone one survives as a JavaScript code point; Postgres would
  // store it as U+FFFD, so two different names would become the same.
  if (code >= 0xd800 && code <= 0xdfff) return "a lone surrogate";
  // Not in AWS's list: bidirectional controls make a name display as another (a Trojan Source spoof in
  // the console and in logs), so Stepwise treats them as the control characters they are.
  if (code === 0x061c || code === 0x200e || code === 0x200f || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) {
    return "a bidirectional control character";
  }
  return undefined;
}

const codePointLabel = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;

/**
 * Names of state machines, executions and activities, by AWS's rules; `what` says whose name it is and
 * `field` which request field held it, for the message. The one place these rules live: the AWS API, the
 * REST API and the engine (nested executions included) all call it.
 */
export function checkName(name: string, what: string, field = "name"): void {
  const problem = nameProblem(name);
  if (problem) throw new InvalidName(`Invalid Name: ${shown(name)} (field '${field}': ${what} names ${problem})`);
}

/** The name quoted, every character it may not hold written as an escape so that none acts on the reader. */
function shown(name: string): string {
  return JSON.stringify(name).replace(
    /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffe\uffff]/gu,
    (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`,
  );
}

function nameProblem(name: string): string | undefined {
  if (name.length < 1 || name.length > 80) return "must be 1 to 80 characters";
  const special = FORBIDDEN.exec(name);
  if (special) {
    return `may not contain white space, brackets, wildcards or the characters " # % \\ ^ | ~ \` $ & , ; : / (found ${JSON.stringify(special[0])})`;
  }
  for (const char of name) {
    const code = char.codePointAt(0) ?? 0;
    const reason = forbiddenCodePoint(code);
    if (reason) return `may not contain ${reason} (found ${codePointLabel(code)})`;
  }
  return undefined;
}

export function validateExecutionName(name: string): void {
  checkName(name, "execution");
}
