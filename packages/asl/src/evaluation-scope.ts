import type { Json, JsonObject } from "./json.ts";
import type { EvaluationLimits } from "./jsonata/guard.ts";
import type { PathBudget } from "./jsonpath/path-budget.ts";

/**
 * Everything an expression may read besides the state's data: the context object (`$$`), the variables
 * in scope (`$name`), and the randomness it is handed (`States.UUID`, `States.MathRandom`, `$random()`),
 * so that evaluation stays pure.
 */
export interface EvaluationScope {
  /** The context object, `$$` in JSONPath and `$states.context` in JSONata. */
  context: JsonObject;
  /** Variables visible to the state (set by `Assign`), by name without the `$`. */
  variables: Readonly<Record<string, Json>>;
  /** Uniform in [0, 1). */
  random: () => number;
  /**
   * The work budget every JSONPath read through this scope shares (see jsonpath/path-budget.ts). Without
   * one, each path gets its own.
   */
  readonly pathBudget?: PathBudget;
  /** Bounds on each JSONata evaluation through this scope (defaults where absent). */
  readonly jsonataLimits?: Partial<EvaluationLimits>;
}
