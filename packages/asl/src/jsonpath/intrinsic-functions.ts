/** Every intrinsic function by name; the type makes a missing one a compile error. */
import type { IntrinsicFunction } from "./intrinsic-function.ts";
import { arrayFunctions } from "./intrinsic-functions-array.ts";
import { encodingFunctions } from "./intrinsic-functions-encoding.ts";
import { jsonFunctions } from "./intrinsic-functions-json.ts";
import { mathFunctions } from "./intrinsic-functions-math.ts";
import { stringFunctions } from "./intrinsic-functions-string.ts";
import type { IntrinsicFunctionName } from "./intrinsic-parser.ts";

export const INTRINSIC_FUNCTIONS: Readonly<Record<IntrinsicFunctionName, IntrinsicFunction>> = {
  ...arrayFunctions,
  ...encodingFunctions,
  ...jsonFunctions,
  ...mathFunctions,
  ...stringFunctions,
};
