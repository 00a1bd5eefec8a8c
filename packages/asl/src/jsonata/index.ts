/** JSONata support of the ASL core: `QueryLanguage: "JSONata"` fields. */
export type { JsonataBindings, JsonataStates } from "./evaluate.ts";
export {
  type CompiledExpression,
  compileExpression,
  expressionBody,
  isJsonataExpression,
  type JsonataSyntaxError,
  parseJsonataError,
} from "./expression.ts";
export { DEFAULT_EVALUATION_LIMITS, type EvaluationLimits } from "./guard.ts";
export { evaluateAssign, evaluateJsonataTemplate } from "./template.ts";
