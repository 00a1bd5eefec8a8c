/** Time as the local runner sees it. The core never reads a clock; whoever runs it chooses one. */
export interface RunnerClock {
  now(): Date;
  /** Resolve once `date` has come (a virtual clock simply jumps there). */
  sleepUntil(date: Date): Promise<void>;
}

/** Time that only moves when the runner waits: Wait states and retry backoff take no real time. */
export function virtualClock(start: Date = new Date("2024-01-01T00:00:00.000Z")): RunnerClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    sleepUntil: async (date) => {
      current = Math.max(current, date.getTime());
    },
  };
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
