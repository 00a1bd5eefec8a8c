/** A definition sent to the REST API, as an object or as JSON text, checked before anything is stored. */
import { type Diagnostic, validateDefinition } from "@stepwise/asl";
import { RestError } from "./rest-error.ts";

/**
 * The definition as the text to store (text as sent, objects serialised) and its warnings; any ERROR
 * diagnostic is a 400 InvalidDefinition listing all of them.
 */
export function checkedDefinition(definition: unknown): { text: string; warnings: Diagnostic[] } {
  const result = validateDefinition(definition);
  if (!result.ok) {
    const errors = result.diagnostics.filter((d) => d.severity === "ERROR");
    const summary = errors.map((d) => `${d.code}: ${d.message} at ${d.location}`).join("; ");
    throw new RestError(400, "InvalidDefinition", `Invalid State Machine Definition: '${summary}'`, { diagnostics: result.diagnostics });
  }
  return { text: typeof definition === "string" ? definition : JSON.stringify(definition), warnings: result.diagnostics };
}
