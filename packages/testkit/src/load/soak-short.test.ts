/**
 * A short soak for `npm test` (`npm run test:load` runs the long one): the same processes and checks,
 * 15 s of load at half the probed capacity, since the rest of the suite runs on the same CPUs meanwhile.
 */
import { soakSuite } from "./soak-suite.ts";

soakSuite({
  title: "a short soak: an API, two workers and a scheduler under steady load",
  size: { workers: 2, workerConcurrency: 4, workerPoolSize: 4 },
  probe: { inFlight: [16, 32], stepMs: 4_000, minGain: 1.1 },
  loadFraction: 0.5,
  durationMs: 15_000,
  windowMs: 5_000,
  drainTimeoutMs: 30_000,
  maxP99Growth: 4,
});
