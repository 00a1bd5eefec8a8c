/**
 * `java.util.Random`'s linear congruential generator. AWS draws seeded random numbers from it
 * (`States.MathRandom` with a seed, JSONata `$random(seed)`), so reproducing it makes a seeded call
 * return the number AWS returns (seed 42: `nextInt(10)` is 0, `nextDouble()` is 0.7275636800328681).
 */
const MULTIPLIER = 0x5deece66dn;
const INCREMENT = 0xbn;
const MASK = (1n << 48n) - 1n;
const LONG_MAX = (1n << 63n) - 1n;
const LONG_MIN = -(1n << 63n);

/** Java's `(long) value`: truncates towards zero and saturates; NaN becomes 0. */
export function toJavaLong(value: number): bigint {
  if (Number.isNaN(value)) return 0n;
  if (value >= 2 ** 63) return LONG_MAX;
  if (value <= -(2 ** 63)) return LONG_MIN;
  return BigInt(Math.trunc(value));
}

export class JavaRandom {
  private state: bigint;

  constructor(seed: bigint) {
    this.state = (BigInt.asIntN(64, seed) ^ MULTIPLIER) & MASK;
  }

  private next(bits: number): number {
    this.state = (this.state * MULTIPLIER + INCREMENT) & MASK;
    return Number(BigInt.asIntN(32, this.state >> BigInt(48 - bits)));
  }

  /** `Random.nextInt(bound)`: uniform in [0, bound); `bound` must be in [1, 2^31 - 1]. */
  nextInt(bound: number): number {
    let r = this.next(31);
    const m = bound - 1;
    if ((bound & m) === 0) return Number((BigInt(bound) * BigInt(r)) >> 31n);
    // Java's rejection loop, kept as written so the sequence matches java.util.Random bit for bit.
    // biome-ignore lint/suspicious/noAssignInExpressions: the assignment is the algorithm.
    for (let u = r; ((u - (r = u % bound) + m) | 0) < 0; u = this.next(31));
    return r;
  }

  /** `Random.nextDouble()`: uniform in [0, 1) from 53 random bits. */
  nextDouble(): number {
    const high = this.next(26);
    const low = this.next(27);
    return (high * 2 ** 27 + low) / 2 ** 53;
  }
}
