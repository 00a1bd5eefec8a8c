/** Time as the local runner sees it. The core never reads a clock; whoever runs it chooses one. */
export interface RunnerClock {
  now(): Date;
  /** Resolve once `date` has come (a virtual clock simply jumps there). */
  sleepUntil(date: Date): Promise<void>;
}

/** 2024-01-01T00:00:00.000Z. */
const DEFAULT_START = Date.UTC(2024, 0, 1);

/** Time that only moves when the runner waits: Wait states and retry backoff take no real time. */
export function virtualClock(start?: Date): RunnerClock {
  return new VirtualClock(start?.getTime() ?? DEFAULT_START);
}

// A class rather than closures: a clock is made for every execution, and closures cost more to make.
class VirtualClock implements RunnerClock {
  constructor(private current: number) {}

  now(): Date {
    return new Date(this.current);
  }

  async sleepUntil(date: Date): Promise<void> {
    this.current = Math.max(this.current, date.getTime());
  }
}

/** A small seeded PRNG (mulberry32) so runs are reproducible unless the caller hands in other randomness. */
export function seededRandom(seed = 1): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
