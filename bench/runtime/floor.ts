/**
 * The floor: the same chains as the Task chain, but raw BullMQ jobs with nothing behind them, each job
 * adding the next (floor-worker.ts). What the runtime adds on top of one queue hop per state is the
 * difference between this and the Stepwise figures.
 */
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { redisConnection } from "../../packages/runtime/src/index.ts";
import { type BenchChild, startChild } from "./children.ts";
import { deleteKeys } from "./environment.ts";
import { CpuMeter } from "./proc-stats.ts";

export const FLOOR_QUEUE = "floor";
const FLOOR_WORKER = fileURLToPath(new URL("./floor-worker.ts", import.meta.url));
const POLL_MS = 20;

export interface FloorJob {
  chain: number;
  step: number;
  payload: unknown;
}

export function floorKeys(prefix: string): { done: string; lastDoneMs: string } {
  return { done: `${prefix}:floor-done`, lastDoneMs: `${prefix}:floor-last-done-ms` };
}

export interface FloorOptions {
  redisUrl: string;
  processes: number;
  concurrency: number;
  chains: number;
  length: number;
  timeoutMs: number;
}

export interface FloorResult {
  chains: number;
  jobs: number;
  wallMs: number;
  /** CPU time of the worker processes (Redis's is not counted: the server is shared). */
  workerCpuMs: number;
}

export async function runFloor(options: FloorOptions): Promise<FloorResult> {
  const prefix = `stepwise-bench-floor-${randomUUID().slice(0, 8)}`;
  const keys = floorKeys(prefix);
  const redis = new Redis(options.redisUrl);
  const queue = new Queue<FloorJob>(FLOOR_QUEUE, { connection: redisConnection(options.redisUrl), prefix });
  const workers: BenchChild[] = [];
  try {
    const env = {
      REDIS_URL: options.redisUrl,
      FLOOR_PREFIX: prefix,
      FLOOR_CHAIN_LENGTH: String(options.length),
      FLOOR_CONCURRENCY: String(options.concurrency),
    };
    for (let i = 0; i < options.processes; i++) workers.push(await startChild(FLOOR_WORKER, env));
    const cpu = new CpuMeter(workers.map((w) => w.pid));
    const started = Date.now();
    await queue.addBulk(
      Array.from({ length: options.chains }, (_, chain) => ({
        name: "step",
        data: { chain, step: 0, payload: { n: chain } },
        opts: { jobId: `${chain}|0` },
      })),
    );
    const deadline = started + options.timeoutMs;
    while (Number(await redis.get(keys.done)) < options.chains) {
      if (Date.now() > deadline)
        throw new Error(`floor: ${await redis.get(keys.done)} of ${options.chains} chains done after ${options.timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    const workerCpuMs = cpu.usedMs(workers.map((w) => w.pid));
    return {
      chains: options.chains,
      jobs: options.chains * options.length,
      wallMs: Number(await redis.get(keys.lastDoneMs)) - started,
      workerCpuMs,
    };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await queue.close();
    redis.disconnect();
    await deleteKeys(options.redisUrl, prefix);
  }
}
