/**
 * Definitions as CreateStateMachine, UpdateStateMachine and ValidateStateMachineDefinition see them:
 * the ASL core's validation, plus what AWS refuses in EXPRESS machines (activities, `.sync` and
 * `.waitForTaskToken` integrations, which would need a long-running execution).
 */
import { type Diagnostic, DiagnosticCode, isJsonObject, type Json, validateDefinition } from "@stepwise/asl";
import { AwsError } from "./aws-error.ts";

export type MachineType = "STANDARD" | "EXPRESS";

export function diagnoseDefinition(definition: string, type: MachineType): Diagnostic[] {
  const result = validateDefinition(definition);
  if (!result.ok || type === "STANDARD") return result.diagnostics;
  return [...result.diagnostics, ...expressDiagnostics(result.definition as unknown as Json, "")];
}

/** `InvalidDefinition` with every error of the diagnostics, worded as AWS words it. */
export function invalidDefinition(diagnostics: readonly Diagnostic[]): AwsError {
  const errors = diagnostics.filter((d) => d.severity === "ERROR");
  const text = errors.map((d) => `${d.code}: ${d.message} at ${d.location}`).join(", ");
  return new AwsError("InvalidDefinition", `Invalid State Machine Definition: '${text}'`);
}

export function requireValidDefinition(definition: string, type: MachineType): void {
  const diagnostics = diagnoseDefinition(definition, type);
  if (diagnostics.some((d) => d.severity === "ERROR")) throw invalidDefinition(diagnostics);
}

function expressDiagnostics(block: Json, location: string): Diagnostic[] {
  if (!isJsonObject(block) || !isJsonObject(block.States)) return [];
  const found: Diagnostic[] = [];
  for (const [name, state] of Object.entries(block.States)) {
    if (!isJsonObject(state)) continue;
    const at = `${location}/States/${name}`;
    const problem = typeof state.Resource === "string" ? expressResourceProblem(state.Resource) : undefined;
    if (problem)
      found.push({ severity: "ERROR", code: DiagnosticCode.SchemaValidationFailed, message: problem, location: `${at}/Resource` });
    if (Array.isArray(state.Branches)) {
      for (const [i, branch] of state.Branches.entries()) found.push(...expressDiagnostics(branch, `${at}/Branches[${i}]`));
    }
    for (const field of ["ItemProcessor", "Iterator"]) {
      if (state[field] !== undefined) found.push(...expressDiagnostics(state[field] as Json, `${at}/${field}`));
    }
  }
  return found;
}

function expressResourceProblem(resource: string): string | undefined {
  if (/^arn:[^:]+:states:[^:]*:[^:]*:activity:/.test(resource)) return "Express state machine does not support Activity ARN";
  const pattern = /\.(sync(?::2)?|waitForTaskToken)$/.exec(resource);
  if (pattern) return `Express state machine does not support '.${pattern[1]}' service integration.`;
  return undefined;
}
