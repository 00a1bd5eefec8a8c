/** The chaos run's knobs, from the environment, with defaults sized for a 2-core machine. */
import { z } from "zod";

const count = z.coerce.number().int().positive();

const schema = z.object({
  CHAOS_EXECUTIONS: count.default(1000),
  /** How long faults are injected; executions start during its first half. */
  CHAOS_DURATION_MS: count.default(60_000),
  /** How long, after the faults, executions may take to finish before the unfinished count as lost. */
  CHAOS_SETTLE_MS: count.default(120_000),
  /** Faults in all; at least one of each kind. Default: one per 4 s of the fault window. */
  CHAOS_FAULTS: count.optional(),
  /** Replays one run's workload and fault schedule (a seed a run printed). */
  CHAOS_SEED: z.coerce.number().int().nonnegative().optional(),
  /** Replays several runs, one after another: seeds separated by commas. */
  CHAOS_SEEDS: z
    .string()
    .regex(/^\s*\d+\s*(,\s*\d+\s*)*$/, "expected seeds (non-negative integers) separated by commas")
    .transform((list) => list.split(",").map(Number))
    .optional(),
  /**
   * Runs with fresh seeds when none is given, each printed. Several by default: one run meets some of the
   * races a fault can land in, and a lucky seed must not pass a bug that another finds.
   */
  CHAOS_RUNS: count.default(5),
  CHAOS_WORKERS: count.default(3),
});

export type ChaosConfig = Omit<z.infer<typeof schema>, "CHAOS_SEED" | "CHAOS_SEEDS" | "CHAOS_RUNS"> & {
  CHAOS_FAULTS: number;
  /** One run per seed, in order: each starts its own Postgres, Redis and processes. */
  seeds: number[];
};

export function loadChaosConfig(env: Record<string, string | undefined> = process.env, now = Date.now()): ChaosConfig {
  const { CHAOS_SEED, CHAOS_SEEDS, CHAOS_RUNS, ...parsed } = schema.parse(env);
  if (CHAOS_SEED !== undefined && CHAOS_SEEDS !== undefined)
    throw new Error("Invalid configuration: set CHAOS_SEED or CHAOS_SEEDS, not both");
  // From the clock, spread apart: each run's seed differs from the others', and replays that run alone.
  const drawn = Array.from({ length: CHAOS_RUNS }, (_, i) => (now + i * 1_000_003) % 2 ** 31);
  return {
    ...parsed,
    CHAOS_FAULTS: parsed.CHAOS_FAULTS ?? Math.max(5, Math.round(parsed.CHAOS_DURATION_MS / 4000)),
    seeds: CHAOS_SEEDS ?? (CHAOS_SEED !== undefined ? [CHAOS_SEED] : drawn),
  };
}
