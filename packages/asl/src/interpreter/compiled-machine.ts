import type { QueryLanguage, State, StateMachineDefinition, StatesBlock } from "../definition.ts";
import { itemProcessorOf } from "../definition.ts";
import { ownValue } from "../own-property.ts";
import type { ScopeStep } from "./position.ts";

/**
 * A definition prepared for repeated stepping: nested States blocks are resolved once by scope key,
 * so the hot path does a Map lookup instead of walking the definition.
 */
export class CompiledMachine {
  private readonly blocks = new Map<string, StatesBlock>();
  /**
   * The same blocks by scope array: the threads of one Map or Parallel share theirs while they stay in
   * memory, which spares building a key on every state they enter.
   */
  private readonly blocksByScope = new WeakMap<readonly ScopeStep[], StatesBlock>();

  constructor(readonly definition: StateMachineDefinition) {}

  get queryLanguage(): QueryLanguage {
    return this.definition.QueryLanguage ?? "JSONPath";
  }

  block(scope: readonly ScopeStep[]): StatesBlock {
    if (scope.length === 0) return this.definition;
    let block = this.blocksByScope.get(scope);
    if (block) return block;
    const key = scopeKey(scope);
    block = this.blocks.get(key);
    if (!block) {
      block = this.definition;
      for (const step of scope) block = childBlock(block, step);
      this.blocks.set(key, block);
    }
    this.blocksByScope.set(scope, block);
    return block;
  }

  state(scope: readonly ScopeStep[], name: string): State {
    const state = ownValue(this.block(scope).States, name);
    if (!state) throw new Error(`State '${name}' does not exist in this state machine`);
    return state;
  }
}

function childBlock(block: StatesBlock, step: ScopeStep): StatesBlock {
  const owner = ownValue(block.States, step.state);
  if (owner?.Type === "Parallel" && step.branch !== undefined) {
    const branch = owner.Branches[step.branch];
    if (branch) return branch;
  }
  if (owner?.Type === "Map") return itemProcessorOf(owner);
  throw new Error(`No nested block at ${step.state}${step.branch === undefined ? "" : `[${step.branch}]`}`);
}

function scopeKey(scope: readonly ScopeStep[]): string {
  return scope.map((s) => (s.branch === undefined ? s.state : `${s.state}[${s.branch}]`)).join("/");
}

const compiled = new WeakMap<StateMachineDefinition, CompiledMachine>();

export function compileMachine(definition: StateMachineDefinition): CompiledMachine {
  let machine = compiled.get(definition);
  if (!machine) {
    machine = new CompiledMachine(definition);
    compiled.set(definition, machine);
  }
  return machine;
}
