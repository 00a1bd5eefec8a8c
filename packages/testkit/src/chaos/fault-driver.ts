/**
 * Faults at seeded random moments: SIGKILL a worker or a scheduler (and start another up to 2 or 3 s later),
 * kill and restart Redis, flush Redis, stop and start Postgres. The schedule holds every kind at least
 * once, so no run can pass without having met each of them; the rest are drawn at random.
 */

import type { PrivatePostgres, PrivateRedis } from "@stepwise/runtime";
import { Redis } from "ioredis";
import type { ProcessPool } from "./process-pool.ts";

export const faultKinds = ["kill-worker", "kill-scheduler", "restart-redis", "flush-redis", "restart-postgres"] as const;
export type FaultKind = (typeof faultKinds)[number];

/** Worker crashes are the commonest fault in practice, so the extra faults favour them. */
const EXTRA_FAULT_WEIGHTS: Record<FaultKind, number> = {
  "kill-worker": 4,
  "kill-scheduler": 2,
  "restart-redis": 2,
  "flush-redis": 1,
  "restart-postgres": 2,
};

export interface PlannedFault {
  /** Milliseconds after the fault window opens. */
  at: number;
  kind: FaultKind;
}

export interface InjectedFault extends PlannedFault {
  /** Epoch ms when the fault began and when it was over (the service back, or the process dead). */
  began: number;
  ended: number;
  /** kill-worker / kill-scheduler: the pid killed. */
  victim?: number;
}

export interface FaultTargets {
  workers: ProcessPool;
  schedulers: ProcessPool;
  redis: PrivateRedis;
  postgres: PrivatePostgres;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function weightedKind(random: () => number): FaultKind {
  const total = Object.values(EXTRA_FAULT_WEIGHTS).reduce((a, b) => a + b, 0);
  let roll = random() * total;
  for (const kind of faultKinds) {
    roll -= EXTRA_FAULT_WEIGHTS[kind];
    if (roll < 0) return kind;
  }
  return "kill-worker";
}

/** `count` faults (at least one of each kind) at uniformly random moments within `durationMs`. */
export function planFaults(random: () => number, durationMs: number, count: number): PlannedFault[] {
  const kinds: FaultKind[] = [...faultKinds];
  while (kinds.length < count) kinds.push(weightedKind(random));
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j] as FaultKind, kinds[i] as FaultKind];
  }
  const moments = kinds.map(() => Math.round(random() * durationMs)).sort((a, b) => a - b);
  return kinds.map((kind, i) => ({ kind, at: moments[i] as number }));
}

async function inject(kind: FaultKind, targets: FaultTargets, random: () => number): Promise<number | undefined> {
  switch (kind) {
    case "kill-worker":
      return targets.workers.killOne(random, random() * 2000);
    case "kill-scheduler":
      return targets.schedulers.killOne(random, random() * 3000);
    case "restart-redis":
      await targets.redis.kill();
      await sleep(random() * 1000);
      await targets.redis.start();
      return undefined;
    case "flush-redis": {
      const client = new Redis(targets.redis.url, { maxRetriesPerRequest: 1 });
      try {
        await client.flushall();
      } finally {
        client.disconnect();
      }
      return undefined;
    }
    case "restart-postgres":
      await targets.postgres.stop();
      await sleep(random() * 2000);
      await targets.postgres.start();
      return undefined;
  }
}

/**
 * Injects the planned faults one after another, each at its moment or as soon as the one before it is
 * over. Returns what it did, with times, for the re-run audit.
 */
export async function driveFaults(
  targets: FaultTargets,
  plan: readonly PlannedFault[],
  random: () => number,
  log: (line: string) => void,
): Promise<InjectedFault[]> {
  const opened = Date.now();
  const injected: InjectedFault[] = [];
  for (const fault of plan) {
    await sleep(opened + fault.at - Date.now());
    const began = Date.now();
    const victim = await inject(fault.kind, targets, random);
    const ended = Date.now();
    injected.push({ ...fault, began, ended, ...(victim === undefined ? {} : { victim }) });
    const what = victim === undefined ? `back after ${ended - began} ms` : `pid ${victim}, its replacement starts shortly`;
    log(`[chaos] t=${((began - opened) / 1000).toFixed(1)}s ${fault.kind}: ${what}`);
  }
  return injected;
}
