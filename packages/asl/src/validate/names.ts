/**
 * State names and Map labels.
 *
 * State names: at most 80 characters, unique across the whole definition (Parallel branches and Map
 * processors included: the history names states without saying which block they are in). AWS does not
 * apply its resource-name character rules to state names (its own templates use names such as
 * "Wait 3 sec" and "Hello World example?"); only control characters are refused here, since they would
 * corrupt logs and histories.
 *
 * Map labels become part of child execution names, so they follow the resource-name rules of
 * /work/shared/aws-limits.md, limited to 40 characters, and are unique too.
 */
import type { MachineContext } from "./context.ts";
import { DiagnosticCode, fieldAt } from "./diagnostics.ts";

export const MAX_STATE_NAME_LENGTH = 80;
export const MAX_LABEL_LENGTH = 40;

// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what this matches.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are part of what this matches.
const NOT_IN_RESOURCE_NAMES = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;

function length(text: string): number {
  return [...text].length;
}

export function checkStateName(machine: MachineContext, name: string, location: string): void {
  const d = machine.diagnostics;
  if (name.length === 0 || length(name) > MAX_STATE_NAME_LENGTH) {
    d.error(DiagnosticCode.InvalidStateName, `State names must be between 1 and ${MAX_STATE_NAME_LENGTH} characters long`, location);
  } else if (CONTROL.test(name)) {
    d.error(DiagnosticCode.InvalidStateName, "State names must not contain control characters", location);
  }
  if (machine.stateNames.has(name)) {
    d.error(DiagnosticCode.DuplicateStateName, `Duplicate State name: ${name}`, location);
  }
  machine.stateNames.add(name);
}

export function checkLabel(machine: MachineContext, label: unknown, stateLocation: string): void {
  const d = machine.diagnostics;
  const location = fieldAt(stateLocation, "Label");
  if (typeof label !== "string") {
    d.schema("The value for the field 'Label' must be a STRING", location);
    return;
  }
  if (label.length === 0 || length(label) > MAX_LABEL_LENGTH || NOT_IN_RESOURCE_NAMES.test(label)) {
    d.error(
      DiagnosticCode.InvalidLabelName,
      `A Label must be 1 to ${MAX_LABEL_LENGTH} characters long, with no whitespace, brackets, wildcards, special characters (" # % \\ ^ | ~ \` $ & , ; : /) or control characters`,
      location,
    );
  }
  if (machine.labels.has(label)) d.error(DiagnosticCode.DuplicateLabelName, `Duplicate Label: ${label}`, location);
  machine.labels.add(label);
}
