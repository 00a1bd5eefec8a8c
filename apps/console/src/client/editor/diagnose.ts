/** Validation of the text in the editor, each diagnostic tied to the line it is about. */
import type { Diagnostic } from "../../../../../packages/asl/src/validate/diagnostics.ts";
import { validateDefinition } from "../../../../../packages/asl/src/validate/validate-definition.ts";
import { type JsonLocations, jsonLocations, placeOfLocation, type Span } from "./json-locations.ts";

export interface LocatedDiagnostic extends Diagnostic {
  /** 1-based; absent when the location is nowhere in the text. */
  line?: number;
  /** The text to underline (offsets); absent with `line`. */
  span?: Span;
}

export interface Diagnosis {
  diagnostics: LocatedDiagnostic[];
  /** The parsed definition when the text is JSON (valid or not as a state machine), for the preview. */
  parsed?: unknown;
}

export function diagnose(text: string): Diagnosis {
  const locations = jsonLocations(text);
  if (locations.syntaxError) {
    const { line, offset, message } = locations.syntaxError;
    return {
      diagnostics: [
        {
          severity: "ERROR",
          code: "INVALID_JSON_DESCRIPTION",
          message: `The definition is not valid JSON: ${message}`,
          location: "/",
          line,
          span: { from: offset, to: Math.min(text.length, offset + 1) },
        },
      ],
    };
  }
  return { diagnostics: placed(locations, validateDefinition(text).diagnostics), parsed: JSON.parse(text) as unknown };
}

function placed(locations: JsonLocations, diagnostics: readonly Diagnostic[]): LocatedDiagnostic[] {
  return diagnostics.map((d) => {
    const place = placeOfLocation(locations, d.location);
    return place === undefined ? d : { ...d, ...place };
  });
}

/** Diagnostics the server sent back (InvalidDefinition on save), placed in the same text. */
export function locateAll(text: string, diagnostics: readonly Diagnostic[]): LocatedDiagnostic[] {
  return placed(jsonLocations(text), diagnostics);
}
