/**
 * The transitions of one block (the top level, a Parallel branch, a Map processor): every target names
 * a state of the same block, every state that continues says where, and every state can be reached.
 *
 * AWS refuses a state that nothing transitions to (MISSING_TRANSITION_TARGET, 'State "X" is not
 * reachable.'); a state referenced only from such states, or from a cycle no path enters, passes AWS,
 * so it is only a warning here.
 */
import { isJsonObject, type JsonObject } from "../json.ts";
import type { MachineContext } from "./context.ts";
import { DiagnosticCode, fieldAt, indexAt } from "./diagnostics.ts";
import { has } from "./field-values.ts";

/** State types that continue with `Next` or stop with `End: true`. */
const CONTINUING_TYPES = ["Pass", "Task", "Wait", "Parallel", "Map"];
const TERMINAL_TYPES = ["Succeed", "Fail"];

interface Edge {
  target: string;
  field: string;
  location: string;
}

/** Targets of a state, wherever it keeps them: Next, Default, each choice rule's and each catcher's Next. */
function edgesOf(state: JsonObject, location: string): Edge[] {
  const edges: Edge[] = [];
  const add = (holder: JsonObject, field: string, at: string) => {
    const target = holder[field];
    if (typeof target === "string") edges.push({ target, field, location: fieldAt(at, field) });
  };
  add(state, "Next", location);
  add(state, "Default", location);
  for (const list of ["Choices", "Catch"]) {
    const items = state[list];
    if (!Array.isArray(items)) continue;
    items.forEach((item, i) => {
      if (isJsonObject(item)) add(item, "Next", indexAt(fieldAt(location, list), i));
    });
  }
  return edges;
}

function checkNextOrEnd(machine: MachineContext, state: JsonObject, location: string): void {
  const d = machine.diagnostics;
  if (!CONTINUING_TYPES.includes(state.Type as string)) return;
  const hasNext = has(state, "Next");
  if (hasNext && typeof state.Next !== "string") d.schema("The value for the field 'Next' must be a STRING", fieldAt(location, "Next"));
  if (has(state, "End") && typeof state.End !== "boolean")
    d.schema("The value for the field 'End' must be a BOOLEAN", fieldAt(location, "End"));
  if (hasNext && has(state, "End")) d.schema("Only one of 'Next' or 'End' may be set", location);
  else if (!hasNext && state.End !== true) d.schema("A state of this type must have 'Next' or 'End': true", location);
}

export function checkTransitions(machine: MachineContext, states: JsonObject, startAt: unknown, blockLocation: string): void {
  const d = machine.diagnostics;
  const statesAt = fieldAt(blockLocation, "States");
  const edges = new Map<string, Edge[]>();
  const referenced = new Set<string>();
  if (typeof startAt === "string") {
    referenced.add(startAt);
    if (!has(states, startAt)) {
      d.error(DiagnosticCode.MissingTransitionTarget, `Missing 'StartAt' target: ${startAt}`, fieldAt(blockLocation, "StartAt"));
    }
  }
  let terminal = false;
  for (const [name, state] of Object.entries(states)) {
    if (!isJsonObject(state)) continue;
    const location = fieldAt(statesAt, name);
    checkNextOrEnd(machine, state, location);
    if (state.End === true || TERMINAL_TYPES.includes(state.Type as string)) terminal = true;
    const out = edgesOf(state, location);
    edges.set(name, out);
    for (const edge of out) {
      referenced.add(edge.target);
      if (!has(states, edge.target)) {
        d.error(DiagnosticCode.MissingTransitionTarget, `Missing '${edge.field}' target: ${edge.target}`, edge.location);
      }
    }
  }
  if (!terminal) d.error(DiagnosticCode.MissingEndState, "The workflow does not have a terminal state", statesAt);
  // Without a usable StartAt (already reported) every state would look unreachable.
  if (typeof startAt !== "string") return;
  const reachable = reachableFrom(startAt, edges);
  for (const name of Object.keys(states)) {
    const location = fieldAt(statesAt, name);
    if (!referenced.has(name)) d.error(DiagnosticCode.MissingTransitionTarget, `State "${name}" is not reachable.`, location);
    else if (!reachable.has(name)) {
      d.warning(DiagnosticCode.UnreachableState, `State "${name}" is only referenced by states that are never reached`, location);
    }
  }
}

function reachableFrom(startAt: string, edges: Map<string, Edge[]>): Set<string> {
  const reached = new Set<string>();
  const pending = [startAt];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (reached.has(name)) continue;
    reached.add(name);
    for (const edge of edges.get(name) ?? []) pending.push(edge.target);
  }
  return reached;
}
