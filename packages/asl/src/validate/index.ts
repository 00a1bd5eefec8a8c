export {
  DEFAULT_MAX_NESTING_DEPTH,
  DEFAULT_MAX_STATES,
  type Diagnostic,
  DiagnosticCode,
  type Severity,
  type ValidationOptions,
  type ValidationResult,
} from "./diagnostics.ts";
export { validateDefinition } from "./validate-definition.ts";
