import { validateDefinition } from "@stepwise/asl";
import { CliError } from "../cli-error.ts";
import { type Output, readText } from "../io.ts";

export const validateUsage = "stepwise validate DEFINITION.json";

/** Prints every diagnostic as a JSON line; exits 1 when any is an error. */
export function validateCommand(args: string[], io: Output): number {
  const [file] = args;
  if (!file || args.length > 1) throw new CliError("InvalidArguments", `usage: ${validateUsage}`);
  const result = validateDefinition(readText(file, "definition"));
  for (const d of result.diagnostics) io.out(JSON.stringify(d));
  const errors = result.diagnostics.filter((d) => d.severity === "ERROR").length;
  io.err(errors === 0 ? `valid (${result.diagnostics.length} warning(s))` : `invalid: ${errors} error(s)`);
  return errors === 0 ? 0 : 1;
}
