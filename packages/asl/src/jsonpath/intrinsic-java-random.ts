/**
 * `java.util.Random`'s linear congruential generator, which AWS uses for a seeded `States.MathRandom`:
 * reproducing it makes a seeded call return the same number AWS returns (seed 42 over [-5, 5) gives -5).
 */
const MULTIPLIER = 0x5deece66dn;
const INCREMENT = 0xbn;
const MASK = (1n << 48n) - 1n;

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
}
