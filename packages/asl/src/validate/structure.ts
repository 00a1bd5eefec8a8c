/**
 * The walk over a definition: the top-level object, every `StartAt` + `States` block (top level,
 * Parallel branches, Map processors) and every state in them, handing each state to the checks of its
 * type.
 */
import type { QueryLanguage, StateType } from "../definition.ts";
import { isJsonObject, type Json, type JsonObject } from "../json.ts";
import { unexecutedFields } from "../unsupported-features.ts";
import { checkStateFields } from "./allowed-fields.ts";
import { checkChoiceFields } from "./choice-rules.ts";
import type { BlockKind, MachineContext, StateContext } from "./context.ts";
import { DiagnosticCode, type DiagnosticList, fieldAt } from "./diagnostics.ts";
import { checkCatch, checkRetry } from "./error-handlers.ts";
import { checkEnum, checkInteger, checkKnownFields, checkString, has, requireFields } from "./field-values.ts";
import { checkMapFields } from "./map-state.ts";
import { checkStateName } from "./names.ts";
import {
  checkDataFields,
  checkFailFields,
  checkParallelFields,
  checkPassFields,
  checkTaskFields,
  checkWaitFields,
} from "./state-fields.ts";
import { checkTransitions } from "./transitions.ts";

export interface Limits {
  maxStates: number;
  maxNestingDepth: number;
}

const QUERY_LANGUAGES: readonly QueryLanguage[] = ["JSONPath", "JSONata"];
const TOP_LEVEL_FIELDS = ["Comment", "StartAt", "States", "TimeoutSeconds", "Version", "QueryLanguage"];
const BLOCK_FIELDS: Record<BlockKind, readonly string[]> = {
  branch: ["Comment", "StartAt", "States"],
  processor: ["Comment", "StartAt", "States", "ProcessorConfig"],
};

const TYPE_CHECKS: Partial<Record<StateType, (sc: StateContext) => void>> = {
  Pass: checkPassFields,
  Task: checkTaskFields,
  Choice: checkChoiceFields,
  Wait: checkWaitFields,
  Fail: checkFailFields,
  Parallel: checkParallelFields,
  Map: checkMapFields,
};
const STATE_TYPES: readonly StateType[] = ["Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"];
const WITH_ERROR_HANDLING: readonly StateType[] = ["Task", "Parallel", "Map"];

export function checkMachine(definition: Json, d: DiagnosticList, limits: Limits): void {
  if (!isJsonObject(definition)) {
    d.schema("The definition must be a JSON object", "/");
    return;
  }
  checkKnownFields(d, definition, TOP_LEVEL_FIELDS, "");
  checkEnum(d, definition, "QueryLanguage", "", QUERY_LANGUAGES);
  checkInteger(d, definition, "TimeoutSeconds", "", { min: 1 });
  checkString(d, definition, "Version", "");
  const machine: MachineContext = {
    diagnostics: d,
    machineLanguage: definition.QueryLanguage === "JSONata" ? "JSONata" : "JSONPath",
    maxStates: limits.maxStates,
    maxNestingDepth: limits.maxNestingDepth,
    stateNames: new Set(),
    labels: new Set(),
    stateCount: 0,
    validateBlock: (value, location, depth, kind) => checkNestedBlock(machine, value, location, depth, kind),
  };
  checkBlock(machine, definition, "", 0);
}

function checkNestedBlock(machine: MachineContext, value: unknown, location: string, depth: number, kind: BlockKind): void {
  const d = machine.diagnostics;
  if (depth > machine.maxNestingDepth) {
    d.error(DiagnosticCode.TooDeeplyNested, `States are nested deeper than ${machine.maxNestingDepth} levels`, location);
    return;
  }
  if (!isJsonObject(value)) {
    d.schema(kind === "branch" ? "A branch must be an OBJECT" : "The item processor must be an OBJECT", location);
    return;
  }
  checkKnownFields(d, value, BLOCK_FIELDS[kind], location);
  checkBlock(machine, value, location, depth);
}

function checkBlock(machine: MachineContext, block: JsonObject, location: string, depth: number): void {
  const d = machine.diagnostics;
  checkString(d, block, "Comment", location);
  requireFields(d, block, ["StartAt", "States"], location);
  checkString(d, block, "StartAt", location);
  if (!has(block, "States")) return;
  const states = block.States;
  const statesAt = fieldAt(location, "States");
  if (!isJsonObject(states) || Object.keys(states).length === 0) {
    d.schema("The value for the field 'States' must be a non-empty OBJECT", statesAt);
    return;
  }
  const names = Object.keys(states);
  if (machine.stateCount + names.length > machine.maxStates) {
    if (machine.stateCount <= machine.maxStates) {
      d.error(DiagnosticCode.TooManyStates, `The definition has more than ${machine.maxStates} states`, statesAt);
    }
    machine.stateCount = machine.maxStates + 1;
    return;
  }
  machine.stateCount += names.length;
  for (const name of names) {
    const at = fieldAt(statesAt, name);
    checkStateName(machine, name, at);
    checkState(machine, name, states[name] as Json, at, depth);
  }
  checkTransitions(machine, states, block.StartAt, location);
}

function stateLanguage(machine: MachineContext, state: JsonObject, location: string): QueryLanguage {
  const d = machine.diagnostics;
  if (!has(state, "QueryLanguage")) return machine.machineLanguage;
  if (!checkEnum(d, state, "QueryLanguage", location, QUERY_LANGUAGES)) return machine.machineLanguage;
  const language = state.QueryLanguage as QueryLanguage;
  if (machine.machineLanguage === "JSONata" && language === "JSONPath") {
    d.schema("A state machine whose QueryLanguage is JSONata cannot contain JSONPath states", fieldAt(location, "QueryLanguage"));
  }
  return language;
}

function checkState(machine: MachineContext, name: string, state: Json, location: string, depth: number): void {
  const d = machine.diagnostics;
  if (!isJsonObject(state)) {
    d.schema("A state must be an OBJECT", location);
    return;
  }
  if (!requireFields(d, state, ["Type"], location)) return;
  const type = state.Type;
  if (typeof type !== "string" || !STATE_TYPES.includes(type as StateType)) {
    d.schema(`The value for the field 'Type' must be one of [${STATE_TYPES.join(", ")}]`, fieldAt(location, "Type"));
    return;
  }
  const sc: StateContext = {
    machine,
    name,
    location,
    state,
    type: type as StateType,
    language: stateLanguage(machine, state, location),
    depth,
  };
  checkString(d, state, "Comment", location);
  checkStateFields(sc);
  checkDataFields(sc);
  TYPE_CHECKS[sc.type]?.(sc);
  if (WITH_ERROR_HANDLING.includes(sc.type)) {
    checkRetry(sc);
    checkCatch(sc);
  }
  for (const { field, message } of unexecutedFields(name, state))
    d.warning(DiagnosticCode.UnsupportedFeature, message, fieldAt(location, field));
}
