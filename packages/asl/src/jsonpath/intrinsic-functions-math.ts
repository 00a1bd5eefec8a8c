/** States.MathAdd, States.MathRandom and States.UUID. */
import type { EvaluationScope } from "../evaluation-scope.ts";
import { JavaRandom } from "../java-random.ts";
import { invalidArguments, truncatedInteger } from "./intrinsic-arguments.ts";
import type { IntrinsicFunction } from "./intrinsic-function.ts";

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

const isInt32 = (n: number) => n >= INT_MIN && n <= INT_MAX;

/** Java's `Math.round`: half-way values go up (`-1.5` becomes `-1`). */
function javaRound(n: number): number {
  const rounded = Math.round(n);
  return rounded === 0 ? 0 : rounded;
}

function uuidV4(random: EvaluationScope["random"]): string {
  const bytes = Array.from({ length: 16 }, () => Math.floor(random() * 256) & 0xff);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const mathFunctions = {
  "States.MathAdd": {
    params: ["number", "number"],
    // Operands are rounded to integers first; operands and sum must fit a 32-bit int.
    apply: ([a, b]) => {
      const left = javaRound(a as number);
      const right = javaRound(b as number);
      const sum = left + right;
      if (!isInt32(left) || !isInt32(right) || !isInt32(sum)) throw invalidArguments("States.MathAdd");
      return sum === 0 ? 0 : sum;
    },
  },

  "States.MathRandom": {
    params: ["number", "number", "number"],
    optional: 1,
    // An integer in [start, end). With a seed AWS draws from `new java.util.Random(seed)`, so the
    // same seed and bounds always give the same number.
    apply: ([first, last, seed], _call, scope) => {
      const start = truncatedInteger("States.MathRandom", first as number);
      const end = truncatedInteger("States.MathRandom", last as number);
      const bound = end - start;
      if (!isInt32(start) || !isInt32(end) || bound <= 0 || bound > INT_MAX) throw invalidArguments("States.MathRandom");
      if (seed === undefined) return start + Math.floor(scope.random() * bound);
      const generator = new JavaRandom(BigInt(truncatedInteger("States.MathRandom", seed)));
      return start + generator.nextInt(bound);
    },
  },

  "States.UUID": {
    params: [],
    apply: (_args, _call, scope) => uuidV4(scope.random),
  },
} satisfies Record<string, IntrinsicFunction>;
