import type { QueryLanguage, State } from "../definition.ts";
import { queryLanguageOf } from "../definition.ts";
import type { EvaluationScope } from "../evaluation-scope.ts";
import type { HistoryEvent, HistoryEventDetails, HistoryEventType } from "../history-events.ts";
import type { Json, JsonObject } from "../json.ts";
import type { EvaluationLimits } from "../jsonata/guard.ts";
import { DEFAULT_PATH_LIMITS, PathBudget, type PathLimits } from "../jsonpath/path-budget.ts";
import type { CompiledMachine } from "./compiled-machine.ts";
import { contextObject } from "./context-object.ts";
import type { ExecutionInfo, StepEnvironment } from "./execution-info.ts";
import { copyPosition, type ThreadPosition } from "./position.ts";
import type { Effect } from "./protocol.ts";
import { DEFAULT_MAX_PAYLOAD_BYTES } from "./state-data.ts";
import { uuidFrom } from "./uuid.ts";

type ContextExtra = { taskToken?: string; mapItem?: { index: number; value: Json } };

/** Marks the text memo empty: no JSON value is identical to it. */
const NOTHING: unique symbol = Symbol("nothing serialised yet");

let formattedTime = Number.NaN;
let formatted = "";

/**
 * Formatting a date costs more than a small state, and steps come in bursts at the same instant (a
 * 1,000-item Map takes 2,000 steps; a virtual clock stands still), so the last instant formatted is
 * remembered. The result depends only on the argument.
 */
function isoText(date: Date): string {
  const time = date.getTime();
  if (time !== formattedTime) {
    formatted = date.toISOString();
    formattedTime = time;
  }
  return formatted;
}

/**
 * The working memory of one `advance` call: the thread's position being moved on, the events it appends
 * (numbered from the environment's next id, each linked to the one before in this thread) and the
 * effects it asks for.
 */
export class StepContext {
  readonly events: HistoryEvent[] = [];
  readonly effects: Effect[] = [];
  /**
   * The step's own copy, changed in place: copying the whole position on every event and update was
   * a hot spot, and the caller's object must stay as it was (the runtime keeps it).
   */
  readonly position: ThreadPosition;
  // The state is looked up once per state entered, not on every use.
  private stateName: string | undefined;
  private current: State | undefined;
  private textValue: Json | typeof NOTHING = NOTHING;
  private text = "";

  constructor(
    readonly machine: CompiledMachine,
    position: ThreadPosition,
    readonly env: StepEnvironment,
    readonly execution: ExecutionInfo,
  ) {
    this.position = copyPosition(position);
    if (env.stateInputText !== undefined) this.rememberText(position.stateInput, env.stateInputText);
  }

  /** `env.now` as ISO text: every event of the step carries it, and every state entered records it. */
  get timestamp(): string {
    return isoText(this.env.now);
  }

  get state(): State {
    if (this.stateName !== this.position.stateName) {
      this.current = this.machine.state(this.position.scope, this.position.stateName);
      this.stateName = this.position.stateName;
    }
    return this.current as State;
  }

  get language(): QueryLanguage {
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
    this.position.lastEventId = event.id;
    return event;
  }

  effect(effect: Effect): void {
    this.effects.push(effect);
  }

  update(changes: Partial<ThreadPosition>): void {
    Object.assign(this.position, changes);
  }

  /**
   * JSON text of state data, as events record it and the payload quota measures it. The last value
   * serialised is remembered: a state's output is measured, recorded in its exit event, and becomes the
   * next state's input, measured and recorded again, so one serialisation serves all four. State data
   * is never changed in place, so the same object means the same text.
   */
  jsonText(value: Json): string {
    if (value !== this.textValue) {
      this.text = JSON.stringify(value);
      this.textValue = value;
    }
    return this.text;
  }

  /** The text of `value` if it is the value last serialised, without serialising anything. */
  knownText(value: Json): string | undefined {
    return value === this.textValue ? this.text : undefined;
  }

  /** Remember text that is known to be `JSON.stringify(value)`, for `jsonText` to return. */
  rememberText(value: Json, text: string): void {
    this.textValue = value;
    this.text = text;
  }

  /** A fresh v4 UUID from the step's randomness (task attempts, timers, task tokens). */
  newId(): string {
    return uuidFrom(this.env.random);
  }

  get now(): Date {
    return this.env.now;
  }

  scope(extra?: ContextExtra): EvaluationScope {
    return new StepScope(this.execution, this.position, this.env.random, extra, this.expressionLimits());
  }

  private limits: ExpressionLimits | undefined;

  /** The bounds of expression evaluation, from the payload quota and the configured time. */
  private expressionLimits(): ExpressionLimits {
    this.limits ??= expressionLimits(this.env);
    return this.limits;
  }
}

interface ExpressionLimits {
  readonly path: PathLimits;
  readonly jsonata: Partial<EvaluationLimits>;
}

/**
 * A JSONPath may select many times the payload quota (an intrinsic can reduce it: `States.ArrayLength($..*)`);
 * a JSONata result is copied before it is measured, so its bound is tighter. Either way, a result over the
 * quota fails the state; these multiples only keep that failure cheap.
 */
function expressionLimits(env: StepEnvironment): ExpressionLimits {
  const payload = env.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  const timeoutMs = env.expressionTimeoutMs ?? DEFAULT_PATH_LIMITS.timeoutMs;
  return {
    path: { ...DEFAULT_PATH_LIMITS, timeoutMs, maxResultBytes: 64 * payload },
    jsonata: { timeoutMs, maxResultBytes: 4 * payload },
  };
}

/**
 * The context object is built only when an expression reads `$$`: most Parameters never do, and
 * building it for every evaluation was a large share of the garbage.
 */
class StepScope implements EvaluationScope {
  readonly variables: JsonObject;
  private built: JsonObject | undefined;
  private budget: PathBudget | undefined;

  constructor(
    private readonly execution: ExecutionInfo,
    private readonly position: ThreadPosition,
    readonly random: () => number,
    private readonly extra: ContextExtra | undefined,
    private readonly limits: ExpressionLimits,
  ) {
    this.variables = position.variables;
  }

  get jsonataLimits(): Partial<EvaluationLimits> {
    return this.limits.jsonata;
  }

  get context(): JsonObject {
    this.built ??= contextObject(this.execution, this.position, this.extra);
    return this.built;
  }

  /** One budget for every path read in this scope (a state's Parameters, say), made when a path first needs it. */
  get pathBudget(): PathBudget {
    this.budget ??= new PathBudget(this.limits.path);
    return this.budget;
  }
}
