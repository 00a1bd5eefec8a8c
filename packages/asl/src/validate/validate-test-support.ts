/** Builders shared by the validator's tests. */
import type { Diagnostic, ValidationOptions } from "./diagnostics.ts";
import { validateDefinition } from "./validate-definition.ts";

/** A one-block machine whose StartAt is its first state. */
export function machine(states: Record<string, unknown>, top: Record<string, unknown> = {}): Record<string, unknown> {
  return { StartAt: Object.keys(states)[0], States: states, ...top };
}

export function diagnose(definition: unknown, options?: ValidationOptions): Diagnostic[] {
  return validateDefinition(definition, options).diagnostics;
}

/** `CODE @ location` of every ERROR, for compact assertions. */
export function errors(definition: unknown, options?: ValidationOptions): string[] {
  return diagnose(definition, options)
    .filter((d) => d.severity === "ERROR")
    .map((d) => `${d.code} @ ${d.location}`);
}

export function warnings(definition: unknown): string[] {
  return diagnose(definition)
    .filter((d) => d.severity === "WARNING")
    .map((d) => `${d.code} @ ${d.location}`);
}

export const SCHEMA = "SCHEMA_VALIDATION_FAILED";
export const pass = { Type: "Pass", End: true };
