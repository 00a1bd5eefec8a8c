/**
 * Evaluating one JSONata expression of a state's field, and the States.QueryEvaluationError texts AWS
 * uses when that fails:
 *
 *   The JSONata expression '<body>' specified for the field '<field>' returned nothing (undefined).
 *   The JSONata expression '<body>' specified for the field '<field>' threw an error during evaluation. T1006: …
 *   The JSONata expression '<body>' specified for the field '<field>' threw an error during evaluation: <bound> …
 *
 * A JSONata error is a sentence of its own after its code; a bound AWS enforces (depth, time, memory)
 * has no code and follows a colon.
 */
import { queryEvaluationError, type StatesError } from "../errors.ts";
import type { Json, JsonObject } from "../json.ts";
import { CONTEXT_BINDING, type EvaluationContext } from "./evaluation-context.ts";
import { type CompiledExpression, compileExpression, isJsonataError } from "./expression.ts";
import { DEFAULT_EVALUATION_LIMITS, EvaluationGuard, type EvaluationLimits, RunawayEvaluation, runawayMessage } from "./guard.ts";
import { type ResultMeter, toJsonResult, UnsupportedResult } from "./json-result.ts";
import { type JsonataRegexEngine, regexEngine } from "./regex-engine.ts";

/** `$states`: what the state is evaluating against. */
export interface JsonataStates {
  input: Json;
  context: JsonObject;
  /** The task, Parallel or Map result, where the field may read it. */
  result?: Json;
  /** The error output, in a Catch. */
  errorOutput?: Json;
}

export interface JsonataBindings {
  states: JsonataStates;
  /** The workflow variables in scope, each visible as `$name`. */
  variables: Readonly<Record<string, Json>>;
  /** Uniform in [0, 1): `$random()` and `$uuid()`. */
  random: () => number;
  /** `$now()` and `$millis()`. */
  now: Date;
  /** Overrides of the runaway bounds (tests use small ones). */
  limits?: Partial<EvaluationLimits>;
}

/**
 * The bindings of one field, copied at most once however many expressions the field holds. Copies,
 * because JSONata writes into values it is made to call (`$states.input()` marks the input object
 * with the call's token), and the caller's data must come out untouched. Only what an expression
 * references is copied.
 */
export class FieldBindings {
  private states: JsonObject | undefined;
  private readonly variables = new Map<string, Json>();
  private readonly limits: Readonly<EvaluationLimits>;

  constructor(private readonly bindings: JsonataBindings) {
    this.limits = { ...DEFAULT_EVALUATION_LIMITS, ...bindings.limits };
  }

  /** The variables one evaluation of `compiled` binds, with its own guard. */
  bindingsFor(compiled: CompiledExpression): { bound: Record<string, unknown>; guard: EvaluationGuard } {
    const guard = new EvaluationGuard(this.limits);
    let engine: JsonataRegexEngine | undefined;
    const context: EvaluationContext = {
      guard,
      random: this.bindings.random,
      now: this.bindings.now,
      regexEngine: () => {
        engine ??= regexEngine(() => guard.checkRunning());
        return engine;
      },
    };
    const bound: Record<string, unknown> = Object.create(null);
    bound[CONTEXT_BINDING] = context;
    for (const name of compiled.references) {
      if (Object.hasOwn(this.bindings.variables, name)) bound[name] = this.variable(name);
    }
    // `$states` is reserved: bound last, no variable can hide it.
    if (compiled.references.has("states")) bound.states = this.statesCopy();
    return { bound, guard };
  }

  /** How copying a result of an evaluation under `guard` is bounded. */
  resultMeter(guard: EvaluationGuard): ResultMeter {
    return { maxBytes: this.limits.maxResultBytes, tick: () => guard.tick(), tooLarge: () => guard.resultTooLarge() };
  }

  private variable(name: string): Json {
    let copy = this.variables.get(name);
    if (copy === undefined) {
      copy = structuredClone(this.bindings.variables[name] as Json);
      this.variables.set(name, copy);
    }
    return copy;
  }

  private statesCopy(): JsonObject {
    if (this.states === undefined) {
      const { input, context, result, errorOutput } = this.bindings.states;
      const states: JsonObject = { input, context };
      if (result !== undefined) states.result = result;
      if (errorOutput !== undefined) states.errorOutput = errorOutput;
      this.states = structuredClone(states);
    }
    return this.states;
  }
}

/** Evaluates one expression body found in `field` (a path such as `Output/a/b[0]` or `Assign/total`). */
export async function evaluateExpression(body: string, field: string, bindings: FieldBindings): Promise<Json> {
  const failure = (what: string): StatesError =>
    queryEvaluationError(`The JSONata expression '${body}' specified for the field '${field}' ${what}`);
  let result: unknown;
  let guard: EvaluationGuard;
  try {
    const compiled = compileExpression(body);
    const evaluation = bindings.bindingsFor(compiled);
    guard = evaluation.guard;
    result = await compiled.program.evaluate(undefined, evaluation.bound);
  } catch (error) {
    throw failure(`threw an error during evaluation${describeFailure(error)}`);
  }
  if (result === undefined) throw failure("returned nothing (undefined).");
  try {
    return toJsonResult(result, bindings.resultMeter(guard));
  } catch (error) {
    if (error instanceof UnsupportedResult) throw failure("returned an unsupported result type.");
    throw failure(`threw an error during evaluation${describeFailure(error)}`);
  }
}

/** The end of the "threw an error during evaluation" sentence, separator included. */
function describeFailure(error: unknown): string {
  if (error instanceof RunawayEvaluation) return `: ${error.message}`;
  if (isJsonataError(error)) return `. ${error.code}: ${error.message}`;
  // The engine's own limits, reached before a bound tripped: a parse nested deeper than the stack,
  // a string or array longer than the engine can hold.
  if (error instanceof RangeError) return `: ${runawayMessage(/call stack/i.test(error.message) ? "depth" : "memory")}`;
  return `: ${error instanceof Error ? error.message : String(error)}`;
}
