/**
 * Injects faults at seeded random moments for a bounded time: SIGKILL a worker or a scheduler (and start
 * another), kill and restart Redis, flush Redis, stop and start Postgres.
 */
import { Redis } from "ioredis";
import type { PrivatePostgres, PrivateRedis } from "../ops/private-services.ts";
import type { ProcessPool } from "./process-pool.ts";

export const faultKinds = ["kill-worker", "kill-scheduler", "restart-redis", "flush-redis", "restart-postgres"] as const;
export type FaultKind = (typeof faultKinds)[number];

export interface FaultTargets {
  workers: ProcessPool;
  schedulers: ProcessPool;
  redis: PrivateRedis;
  postgres: PrivatePostgres;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function inject(kind: FaultKind, targets: FaultTargets, random: () => number): Promise<void> {
  switch (kind) {
    case "kill-worker":
      return targets.workers.killOne(random);
    case "kill-scheduler":
      return targets.schedulers.killOne(random);
    case "restart-redis":
      await targets.redis.kill();
      await sleep(random() * 1000);
      return targets.redis.start();
    case "flush-redis": {
      const client = new Redis(targets.redis.url, { maxRetriesPerRequest: 1 });
      try {
        await client.flushall();
      } finally {
        client.disconnect();
      }
      return;
    }
    case "restart-postgres":
      await targets.postgres.stop();
      await sleep(random() * 2000);
      return targets.postgres.start();
  }
}

/** Runs until `durationMs` is over; returns how many faults of each kind it injected. */
export async function driveFaults(
  targets: FaultTargets,
  random: () => number,
  durationMs: number,
  log: (line: string) => void,
): Promise<Record<FaultKind, number>> {
  const counts = Object.fromEntries(faultKinds.map((k) => [k, 0])) as Record<FaultKind, number>;
  const end = Date.now() + durationMs;
  const started = Date.now();
  for (;;) {
    await sleep(1500 + random() * 4000);
    if (Date.now() >= end) return counts;
    const kind = faultKinds[Math.floor(random() * faultKinds.length)] as FaultKind;
    log(`[chaos] t=${((Date.now() - started) / 1000).toFixed(1)}s ${kind}`);
    await inject(kind, targets, random);
    counts[kind]++;
  }
}
