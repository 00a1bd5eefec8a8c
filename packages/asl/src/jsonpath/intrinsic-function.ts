import type { EvaluationScope } from "../evaluation-scope.ts";
import type { Json } from "../json.ts";
import type { ArgumentSpec } from "./intrinsic-arguments.ts";
import type { IntrinsicCall } from "./intrinsic-parser.ts";

/** One intrinsic: what it accepts (checked before `apply` runs) and what it computes. */
export interface IntrinsicFunction extends ArgumentSpec {
  /** `args` already fit the spec; `call` is the parsed call (States.Format reads its raw template). */
  readonly apply: (args: readonly Json[], call: IntrinsicCall, scope: EvaluationScope) => Json;
}
