/**
 * `$random(seed)` is reproducible on AWS because it draws from `java.util.Random`: seed 42 gives
 * 0.7275636800328681 there. This is that generator's first `nextDouble()`, so a seeded call returns
 * the number AWS returns.
 */

const MULTIPLIER = 0x5deece66dn;
const INCREMENT = 0xbn;
const MASK = (1n << 48n) - 1n;
const LONG_MAX = (1n << 63n) - 1n;
const LONG_MIN = -(1n << 63n);

/** Java's `(long) value`: truncates towards zero and saturates; NaN becomes 0. */
function toJavaLong(value: number): bigint {
  if (Number.isNaN(value)) return 0n;
  if (value >= 2 ** 63) return LONG_MAX;
  if (value <= -(2 ** 63)) return LONG_MIN;
  return BigInt(Math.trunc(value));
}

/** `new java.util.Random((long) seed).nextDouble()`. */
export function javaRandomNextDouble(seed: number): number {
  let state = (toJavaLong(seed) ^ MULTIPLIER) & MASK;
  const next = (bits: number): number => {
    state = (state * MULTIPLIER + INCREMENT) & MASK;
    return Number(state >> BigInt(48 - bits));
  };
  const high = next(26);
  const low = next(27);
  return (high * 2 ** 27 + low) / 2 ** 53;
}
