/**
 * Validation of Amazon States Language definitions, answering like AWS's ValidateStateMachineDefinition:
 * every problem at once, as diagnostics, and never an exception, whatever the input.
 */
import type { StateMachineDefinition } from "../definition.ts";
import {
  DEFAULT_MAX_NESTING_DEPTH,
  DEFAULT_MAX_STATES,
  DiagnosticList,
  type ValidationOptions,
  type ValidationResult,
} from "./diagnostics.ts";
import { readDefinition } from "./read-input.ts";
import { checkMachine } from "./structure.ts";

/**
 * Validates a definition given as JSON text or as an already parsed value. The definition comes back
 * (as a copy, typed) only when there is no ERROR; WARNINGs do not prevent it.
 */
export function validateDefinition(input: string | unknown, options: ValidationOptions = {}): ValidationResult {
  const diagnostics = new DiagnosticList();
  const definition = readDefinition(input, diagnostics);
  if (definition !== undefined) {
    checkMachine(definition, diagnostics, {
      maxStates: options.maxStates ?? DEFAULT_MAX_STATES,
      maxNestingDepth: options.maxNestingDepth ?? DEFAULT_MAX_NESTING_DEPTH,
    });
  }
  if (definition === undefined || diagnostics.hasErrors) return { ok: false, diagnostics: diagnostics.items };
  return { ok: true, diagnostics: diagnostics.items, definition: definition as unknown as StateMachineDefinition };
}
