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
  /** Replays a run's workload and fault schedule. Default: drawn from the clock, and printed. */
  CHAOS_SEED: z.coerce.number().int().nonnegative().optional(),
  CHAOS_WORKERS: count.default(3),
});

export type ChaosConfig = z.infer<typeof schema> & { CHAOS_FAULTS: number; CHAOS_SEED: number };

export function loadChaosConfig(env: Record<string, string | undefined> = process.env): ChaosConfig {
  const parsed = schema.parse(env);
  return {
    ...parsed,
    CHAOS_FAULTS: parsed.CHAOS_FAULTS ?? Math.max(5, Math.round(parsed.CHAOS_DURATION_MS / 4000)),
    CHAOS_SEED: parsed.CHAOS_SEED ?? Date.now() % 2 ** 31,
  };
}
