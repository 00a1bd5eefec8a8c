/**
 * `npm run test:load`: minutes of sustained load on the real processes, on the local Postgres and Redis
 * (a schema and a queue prefix of its own). LOAD_DURATION_SECONDS sets the soak's length (default 180).
 */
import { soakSuite } from "./soak-suite.ts";

const durationMs = Number(process.env.LOAD_DURATION_SECONDS ?? 180) * 1000;

soakSuite({
  title: "load and soak: an API, two workers and a scheduler under sustained load",
  size: { workers: 2, workerConcurrency: 8, workerPoolSize: 8 },
  probe: { inFlight: [8, 16, 32, 64], stepMs: 12_000, minGain: 1.1 },
  // Three quarters of the probed capacity: the CPU share other work on a shared machine leaves to these
  // processes moves by more than a fifth from minute to minute, and the soak is about stability, not peak.
  loadFraction: 0.75,
  durationMs,
  windowMs: Math.min(30_000, durationMs / 3),
  drainTimeoutMs: 60_000,
  maxP99Growth: 4,
});
