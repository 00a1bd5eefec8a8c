/**
 * The Amazon States Language definition, typed once. These are the shapes a *valid* definition has;
 * `validate/` turns untrusted JSON into a `StateMachineDefinition` or diagnostics.
 */
import type { Json, JsonObject } from "./json.ts";

export type QueryLanguage = "JSONPath" | "JSONata";

export interface StateMachineDefinition extends StatesBlock {
  Comment?: string;
  Version?: string;
  TimeoutSeconds?: number;
  QueryLanguage?: QueryLanguage;
}

/** A `StartAt` + `States` pair: the top level, a Parallel branch, or a Map item processor. */
export interface StatesBlock {
  StartAt: string;
  States: Record<string, State>;
  Comment?: string;
}

export type State = PassState | TaskState | ChoiceState | WaitState | SucceedState | FailState | ParallelState | MapState;
export type StateType = State["Type"];

interface StateBase {
  Comment?: string;
  QueryLanguage?: QueryLanguage;
}

/** Fields every state that ends or continues carries. */
interface Transition {
  Next?: string;
  End?: boolean;
}

/** JSONPath input/output processing. */
interface JsonPathIO {
  InputPath?: string | null;
  OutputPath?: string | null;
}

/** Fields available in both languages that produce and route data. */
interface DataFields {
  Assign?: JsonObject;
  /** JSONata only. */
  Output?: Json;
}

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: "FULL" | "NONE";
  Comment?: string;
}

export interface Catcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
  Output?: Json;
  Assign?: JsonObject;
  Comment?: string;
}

interface ErrorHandling {
  Retry?: Retrier[];
  Catch?: Catcher[];
}

export interface PassState extends StateBase, Transition, JsonPathIO, DataFields {
  Type: "Pass";
  Result?: Json;
  ResultPath?: string | null;
  Parameters?: Json;
}

export interface TaskState extends StateBase, Transition, JsonPathIO, DataFields, ErrorHandling {
  Type: "Task";
  Resource: string;
  Parameters?: Json;
  Arguments?: Json;
  ResultSelector?: Json;
  ResultPath?: string | null;
  TimeoutSeconds?: number | string;
  TimeoutSecondsPath?: string;
  HeartbeatSeconds?: number | string;
  HeartbeatSecondsPath?: string;
  Credentials?: Json;
}

export interface ChoiceState extends StateBase, JsonPathIO, DataFields {
  Type: "Choice";
  Choices: ChoiceRule[];
  Default?: string;
}

/** A top-level choice rule carries `Next` (and in JSONata `Condition`, optional `Output`/`Assign`). */
export type ChoiceRule = ChoiceExpression & { Next: string; Comment?: string; Condition?: Json; Output?: Json; Assign?: JsonObject };

/** A boolean expression of JSONPath choice rules (`Variable` + one operator, or And/Or/Not). */
export type ChoiceExpression = { [operator: string]: Json | ChoiceExpression | ChoiceExpression[] | undefined } & {
  Variable?: string;
  And?: ChoiceExpression[];
  Or?: ChoiceExpression[];
  Not?: ChoiceExpression;
  Condition?: Json;
};

export interface WaitState extends StateBase, Transition, JsonPathIO, DataFields {
  Type: "Wait";
  Seconds?: number | string;
  Timestamp?: string;
  SecondsPath?: string;
  TimestampPath?: string;
}

export interface SucceedState extends StateBase, JsonPathIO {
  Type: "Succeed";
  Output?: Json;
}

export interface FailState extends StateBase {
  Type: "Fail";
  Error?: string;
  Cause?: string;
  ErrorPath?: string;
  CausePath?: string;
}

export interface ParallelState extends StateBase, Transition, JsonPathIO, DataFields, ErrorHandling {
  Type: "Parallel";
  Branches: StatesBlock[];
  Parameters?: Json;
  Arguments?: Json;
  ResultSelector?: Json;
  ResultPath?: string | null;
}

export interface ItemProcessor extends StatesBlock {
  ProcessorConfig?: { Mode?: "INLINE" | "DISTRIBUTED"; ExecutionType?: "STANDARD" | "EXPRESS" };
  QueryLanguage?: QueryLanguage;
}

export interface MapState extends StateBase, Transition, JsonPathIO, DataFields, ErrorHandling {
  Type: "Map";
  ItemProcessor?: ItemProcessor;
  /** Legacy name of ItemProcessor. */
  Iterator?: ItemProcessor;
  ItemsPath?: string;
  /** JSONata: the array (or expression) to iterate over. */
  Items?: Json;
  ItemSelector?: Json;
  /** Legacy name of ItemSelector. */
  Parameters?: Json;
  ItemReader?: JsonObject;
  ItemBatcher?: JsonObject;
  ResultWriter?: JsonObject;
  ResultSelector?: Json;
  ResultPath?: string | null;
  MaxConcurrency?: number | string;
  MaxConcurrencyPath?: string;
  ToleratedFailurePercentage?: number | string;
  ToleratedFailurePercentagePath?: string;
  ToleratedFailureCount?: number | string;
  ToleratedFailureCountPath?: string;
  Label?: string;
}

export function queryLanguageOf(state: State, machine: QueryLanguage | undefined): QueryLanguage {
  return state.QueryLanguage ?? machine ?? "JSONPath";
}

export function itemProcessorOf(state: MapState): ItemProcessor {
  const processor = state.ItemProcessor ?? state.Iterator;
  if (!processor) throw new Error(`Map state has neither ItemProcessor nor Iterator`);
  return processor;
}

export function isDistributedMap(state: MapState): boolean {
  return itemProcessorOf(state).ProcessorConfig?.Mode === "DISTRIBUTED";
}
