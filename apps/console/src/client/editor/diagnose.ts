/** Validation of the text in the editor, each diagnostic tied to the line it is about. */
import type { Diagnostic } from "../../../../../packages/asl/src/validate/diagnostics.ts";
import { validateDefinition } from "../../../../../packages/asl/src/validate/validate-definition.ts";
import { type JsonLocations, jsonLocations, lineOfLocation } from "./json-locations.ts";

export interface LocatedDiagnostic extends Diagnostic {
  /** 1-based; absent when the location is nowhere in the text. */
  line?: number;
}

export interface Diagnosis {
  diagnostics: LocatedDiagnostic[];
  /** The parsed definition when the text is JSON (valid or not as a state machine), for the preview. */
  parsed?: unknown;
}

export function diagnose(text: string): Diagnosis {
  const locations = jsonLocations(text);
  if (locations.syntaxError) {
    const { line, message } = locations.syntaxError;
    return {
      diagnostics: [
        {
          severity: "ERROR",
          code: "INVALID_JSON_DESCRIPTION",
          message: `The definition is not valid JSON: ${message}`,
          location: "/",
          line,
        },
      ],
    };
  }
  return { diagnostics: placed(locations, validateDefinition(text).diagnostics), parsed: JSON.parse(text) as unknown };
}

function placed(locations: JsonLocations, diagnostics: readonly Diagnostic[]): LocatedDiagnostic[] {
  return diagnostics.map((d) => {
    const line = lineOfLocation(locations, d.location);
    return line === undefined ? d : { ...d, line };
  });
}

/** Diagnostics the server sent back (InvalidDefinition on save), placed in the same text. */
export function locateAll(text: string, diagnostics: readonly Diagnostic[]): LocatedDiagnostic[] {
  return placed(jsonLocations(text), diagnostics);
}
