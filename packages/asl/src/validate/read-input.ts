/** Turns what the caller handed in (definition text, or an already parsed value) into a JSON value. */
import type { Json } from "../json.ts";
import { DiagnosticCode, type DiagnosticList } from "./diagnostics.ts";

function parse(text: string, d: DiagnosticList): Json | undefined {
  try {
    return JSON.parse(text) as Json;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    d.error(DiagnosticCode.InvalidJsonDescription, `The definition is not valid JSON: ${reason}`, "/");
    return undefined;
  }
}

/**
 * A parsed value is copied through JSON text, so what gets validated (and handed back) is plain JSON
 * owned by the validator: no cycles, no functions, no prototypes.
 */
function copy(value: unknown, d: DiagnosticList): Json | undefined {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    d.error(DiagnosticCode.InvalidJsonDescription, `The definition is not a JSON value: ${reason}`, "/");
    return undefined;
  }
  if (text === undefined) {
    d.error(DiagnosticCode.InvalidJsonDescription, "The definition is not a JSON value", "/");
    return undefined;
  }
  return JSON.parse(text) as Json;
}

/** The definition as JSON, or undefined after reporting why there is none. */
export function readDefinition(input: unknown, d: DiagnosticList): Json | undefined {
  if (input === undefined || input === null || (typeof input === "string" && input.trim() === "")) {
    d.error(DiagnosticCode.MissingDescription, "Received a null or empty definition", "/");
    return undefined;
  }
  const value = typeof input === "string" ? parse(input, d) : copy(input, d);
  if (value === null) {
    d.error(DiagnosticCode.MissingDescription, "Received a null or empty definition", "/");
    return undefined;
  }
  return value;
}
