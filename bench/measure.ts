/** Timing with a warm-up first, then the median of a few rounds, since the bench machine is small and noisy. */
import { performance } from "node:perf_hooks";

export interface Timing {
  /** Median wall time of the timed rounds, in milliseconds. */
  medianMs: number;
  roundsMs: number[];
}

export interface MeasureOptions {
  /** Runs before timing, so the JIT has compiled the hot paths and caches are filled. */
  warmup: () => Promise<void>;
  round: () => Promise<void>;
  rounds?: number;
}

export async function measure({ warmup, round, rounds = 3 }: MeasureOptions): Promise<Timing> {
  await warmup();
  const roundsMs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    globalThis.gc?.();
    const start = performance.now();
    await round();
    roundsMs.push(performance.now() - start);
  }
  return { medianMs: median(roundsMs), roundsMs };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Operations per second for `count` operations done in `ms` milliseconds. */
export function perSecond(count: number, ms: number): number {
  return (count * 1000) / ms;
}
