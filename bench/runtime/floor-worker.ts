/**
 * The floor for the runtime bench, as its own OS process: plain BullMQ, no Postgres. Each job of a
 * chain adds the chain's next job; the last one counts the chain done in Redis and notes the time.
 * Jobs use the runtime's queue defaults (packages/runtime/src/queues.ts) and job lock, so the only
 * difference to a Stepwise worker is the engine's work.
 */
import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { redisConnection } from "../../packages/runtime/src/index.ts";
import { FLOOR_QUEUE, type FloorJob, floorKeys } from "./floor.ts";

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

const redisUrl = env("REDIS_URL");
const prefix = env("FLOOR_PREFIX");
const length = Number(env("FLOOR_CHAIN_LENGTH"));
const connection = redisConnection(redisUrl);
const redis = new Redis(redisUrl);
const keys = floorKeys(prefix);
const queue = new Queue<FloorJob>(FLOOR_QUEUE, {
  connection,
  prefix,
  defaultJobOptions: {
    removeOnComplete: { count: 1000 },
    removeOnFail: { count: 5000 },
    attempts: 5,
    backoff: { type: "exponential", delay: 200 },
  },
});
const worker = new Worker<FloorJob>(
  FLOOR_QUEUE,
  async (job) => {
    const { chain, step, payload } = job.data;
    if (step + 1 < length) {
      await queue.add("step", { chain, step: step + 1, payload }, { jobId: `${chain}|${step + 1}` });
      return;
    }
    await redis.multi().incr(keys.done).set(keys.lastDoneMs, Date.now()).exec();
  },
  {
    connection,
    prefix,
    concurrency: Number(env("FLOOR_CONCURRENCY")),
    lockDuration: 30_000,
    stalledInterval: 15_000,
    maxStalledCount: 100,
  },
);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await worker.close();
  await queue.close();
  redis.disconnect();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("disconnect", stop);
await worker.waitUntilReady();
process.send?.("ready");
