import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, expect, it } from "vitest";
import { TaskSignals } from "./signals.ts";

const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `stepwise-test-signals-${randomUUID().slice(0, 8)}`;
const sender = new TaskSignals(redisUrl, prefix);
const receiver = new TaskSignals(redisUrl, prefix);
const listener = new Redis(redisUrl);
afterAll(async () => {
  await sender.close();
  await receiver.close();
  listener.disconnect();
});

it("stop signals asked for in one turn of the event loop reach their handlers in one message", async () => {
  const messages: string[][] = [];
  listener.on("message", (_channel, message: string) => messages.push(JSON.parse(message) as string[]));
  await listener.subscribe(`${prefix}:task-aborts`);
  const a = await receiver.watch("task-a");
  const b = await receiver.watch("task-b");
  const untouched = await receiver.watch("task-c");
  await Promise.all([sender.abort(["task-a"]), sender.abort([]), sender.abort(["task-b", "exec-arn"])]);
  await expect.poll(() => a.signal.aborted && b.signal.aborted).toBe(true);
  expect(untouched.signal.aborted).toBe(false);
  expect(messages).toEqual([["task-a", "task-b", "exec-arn"]]);
  // A later turn sends a message of its own.
  await sender.abort(["task-c"]);
  await expect.poll(() => untouched.signal.aborted).toBe(true);
  expect(messages).toHaveLength(2);
});
