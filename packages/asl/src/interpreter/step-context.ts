import type { State } from "../definition.ts";
import { queryLanguageOf } from "../definition.ts";
import type { HistoryEvent, HistoryEventDetails, HistoryEventType } from "../history-events.ts";
import type { Json, JsonObject } from "../json.ts";
import type { CompiledMachine } from "./compiled-machine.ts";
import { contextObject } from "./context-object.ts";
import type { ExecutionInfo, StepEnvironment } from "./execution-info.ts";
import type { EvaluationScope } from "../evaluation-scope.ts";
import type { Effect } from "./protocol.ts";
import type { ThreadPosition } from "./position.ts";
import { uuidFrom } from "./uuid.ts";

/**
 * The working memory of one `advance` call: the thread's position being moved on, the events it appends
 * (numbered from the environment's next id, each linked to the one before in this thread) and the
 * effects it asks for.
 */
export class StepContext {
  readonly events: HistoryEvent[] = [];
  readonly effects: Effect[] = [];
  private readonly timestamp: string;

  constructor(
    readonly machine: CompiledMachine,
    public position: ThreadPosition,
    readonly env: StepEnvironment,
    readonly execution: ExecutionInfo,
  ) {
    this.timestamp = env.now.toISOString();
  }

  get state(): State {
    return this.machine.state(this.position.scope, this.position.stateName);
  }

  get language() {
    return queryLanguageOf(this.state, this.machine.queryLanguage);
  }

  emit(type: HistoryEventType, details: HistoryEventDetails = {}): HistoryEvent {
    const event: HistoryEvent = {
      id: this.env.nextEventId + this.events.length,
      previousEventId: this.position.lastEventId,
      timestamp: this.timestamp,
      type,
      ...details,
    };
    if (this.position.hidden) return event;
    this.events.push(event);
    this.position = { ...this.position, lastEventId: event.id };
    return event;
  }

  effect(effect: Effect): void {
    this.effects.push(effect);
  }

  update(changes: Partial<ThreadPosition>): void {
    this.position = { ...this.position, ...changes };
  }

  /** A fresh v4 UUID from the step's randomness (task attempts, timers, task tokens). */
  newId(): string {
    return uuidFrom(this.env.random);
  }

  get now(): Date {
    return this.env.now;
  }

  context(extra?: { taskToken?: string; mapItem?: { index: number; value: Json } }): JsonObject {
    return contextObject(this.execution, this.position, extra);
  }

  scope(extra?: { taskToken?: string; mapItem?: { index: number; value: Json } }): EvaluationScope {
    return { context: this.context(extra), variables: this.position.variables, random: this.env.random };
  }
}

export function payload(value: Json): string {
  return JSON.stringify(value);
}
