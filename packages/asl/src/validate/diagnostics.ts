/**
 * Diagnostics in the shape of AWS's ValidateStateMachineDefinition response, so the API and CLI can
 * hand them out unchanged.
 */
import type { StateMachineDefinition } from "../definition.ts";

export type Severity = "ERROR" | "WARNING";

export interface Diagnostic {
  severity: Severity;
  code: string;
  message: string;
  /**
   * Where the problem is, written the way AWS writes it: `/States/Charge/Next`, with array elements as
   * `[i]` (`/States/Pick/Choices[0]/Next`). `/` is the whole definition.
   */
  location: string;
}

export interface ValidationResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  /** Present only when there is no ERROR diagnostic. */
  definition?: StateMachineDefinition;
}

export interface ValidationOptions {
  /** Most states the whole definition may hold (all blocks together). */
  maxStates?: number;
  /** Deepest nesting of Parallel branches / Map processors, and of choice rules (And/Or/Not). */
  maxNestingDepth?: number;
}

export const DEFAULT_MAX_STATES = 10_000;
export const DEFAULT_MAX_NESTING_DEPTH = 64;

/** AWS's codes, plus Stepwise's own where AWS has none (marked). */
export const DiagnosticCode = {
  InvalidJsonDescription: "INVALID_JSON_DESCRIPTION",
  MissingDescription: "MISSING_DESCRIPTION",
  SchemaValidationFailed: "SCHEMA_VALIDATION_FAILED",
  InvalidResource: "INVALID_RESOURCE",
  MissingEndState: "MISSING_END_STATE",
  DuplicateStateName: "DUPLICATE_STATE_NAME",
  InvalidStateName: "INVALID_STATE_NAME",
  DuplicateLabelName: "DUPLICATE_LABEL_NAME",
  InvalidLabelName: "INVALID_LABEL_NAME",
  MissingTransitionTarget: "MISSING_TRANSITION_TARGET",
  TooDeeplyNested: "TOO_DEEPLY_NESTED",
  NoDollar: "NO_DOLLAR",
  NoPath: "NO_PATH",
  PassResultIsStatic: "PASS_RESULT_IS_STATIC",
  /** Stepwise: referenced only from states that cannot run themselves (AWS does not look this far). */
  UnreachableState: "UNREACHABLE_STATE",
  /** Stepwise (warning): an intrinsic call that parses but will fail at run time (AWS accepts it). */
  IntrinsicArguments: "INVALID_INTRINSIC_ARGUMENTS",
  /** Stepwise: more states than `maxStates`. */
  TooManyStates: "TOO_MANY_STATES",
  /** Stepwise (warning): a field AWS executes and Stepwise does not (see unsupported-features.ts). */
  UnsupportedFeature: "UNSUPPORTED_FEATURE",
} as const;

export class DiagnosticList {
  readonly items: Diagnostic[] = [];

  error(code: string, message: string, location: string): void {
    this.items.push({ severity: "ERROR", code, message, location: location || "/" });
  }

  warning(code: string, message: string, location: string): void {
    this.items.push({ severity: "WARNING", code, message, location: location || "/" });
  }

  /** The most common error: the JSON is well formed but does not fit the language's schema. */
  schema(message: string, location: string): void {
    this.error(DiagnosticCode.SchemaValidationFailed, message, location);
  }

  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === "ERROR");
  }
}

/** Location of a field of the object at `location` (the root object is `""`). */
export function fieldAt(location: string, field: string): string {
  return `${location}/${field}`;
}

export function indexAt(location: string, index: number): string {
  return `${location}[${index}]`;
}
