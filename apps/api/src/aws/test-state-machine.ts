/**
 * The machine TestState runs: the state under test, whose every transition (Next, Choice rules, Default,
 * Catch) leads to a Succeed stub of its own. Running it stops right after the state, and the stub that was
 * reached tells which transition was taken: the next state, or which catcher handled an error.
 */
import { isJsonObject, type Json, type JsonObject, type StateMachineDefinition, setJsonProperty } from "@stepwise/asl";

export interface StateUnderTest {
  name: string;
  state: JsonObject;
  /** The query language of the definition the state comes from. */
  queryLanguage?: string;
}

export interface Stub {
  /** The state the transition leads to in the tested definition. */
  target: string;
  /** Set when the transition is a catcher's. */
  catchIndex?: number;
}

export interface TestMachine {
  definition: StateMachineDefinition;
  stubs: Map<string, Stub>;
}

export interface Variant {
  /** The Retry field to test with (none when undefined). */
  retry?: Json[];
  keepCatch: boolean;
}

/** The state named `stateName`, looked for in the top-level states and in Parallel branches and Map processors. */
export function findState(block: Json, stateName: string): JsonObject | undefined {
  if (!isJsonObject(block) || !isJsonObject(block.States)) return undefined;
  for (const [name, state] of Object.entries(block.States)) {
    if (!isJsonObject(state)) continue;
    if (name === stateName) return state;
    const nested = [...(Array.isArray(state.Branches) ? state.Branches : []), state.ItemProcessor, state.Iterator];
    for (const inner of nested) {
      const found = inner === undefined ? undefined : findState(inner, stateName);
      if (found) return found;
    }
  }
  return undefined;
}

export function buildTestMachine(subject: StateUnderTest, variant: Variant): TestMachine {
  const state: JsonObject = structuredClone(subject.state);
  delete state.Retry;
  if (variant.retry && variant.retry.length > 0) state.Retry = variant.retry;
  if (!variant.keepCatch) delete state.Catch;
  const taken = JSON.stringify(subject.state);
  const stubs = new Map<string, Stub>();
  const stubFor = (target: Json | undefined, catchIndex?: number): string | undefined => {
    if (typeof target !== "string") return undefined;
    let name = `Stepwise TestState transition ${stubs.size + 1}`;
    while (name === subject.name || taken.includes(JSON.stringify(name))) name += "'";
    stubs.set(name, catchIndex === undefined ? { target } : { target, catchIndex });
    return name;
  };
  const redirect = (holder: JsonObject, field: string, catchIndex?: number) => {
    const stub = stubFor(holder[field], catchIndex);
    if (stub !== undefined) holder[field] = stub;
  };
  redirect(state, "Next");
  redirect(state, "Default");
  if (Array.isArray(state.Choices)) for (const rule of state.Choices) if (isJsonObject(rule)) redirect(rule, "Next");
  if (Array.isArray(state.Catch)) {
    for (const [i, catcher] of state.Catch.entries()) if (isJsonObject(catcher)) redirect(catcher, "Next", i);
  }
  const states: JsonObject = { [subject.name]: state };
  for (const name of stubs.keys()) setJsonProperty(states, name, { Type: "Succeed" });
  const definition = { StartAt: subject.name, States: states, ...(subject.queryLanguage ? { QueryLanguage: subject.queryLanguage } : {}) };
  return { definition: definition as unknown as StateMachineDefinition, stubs };
}
