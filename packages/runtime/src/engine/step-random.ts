/**
 * The randomness one interpreter step draws from (task tokens, timer ids, retry jitter), derived from
 * the execution's secret seed and where the step stands, so a transition run again after a rollback
 * draws exactly what it drew the first time. That keeps `ctx.taskId` a stable idempotency key even for
 * a handler that ran inside a transaction which then rolled back (an inline task; see inline-tasks.ts):
 * run again, it meets the same task id. The seed is secret random bytes kept with the execution, and
 * the stream is SHA-256 in counter mode, so tokens stay unguessable from one another.
 */
import { createHash } from "node:crypto";

/** `eventId`: the step's first event id; `index`: which of the transition's steps at that event id (a step may add none). */
export function stepRandom(seed: string, eventId: number, index: number): () => number {
  const prefix = `${seed}:${eventId}:${index}:`;
  let block = 0;
  let words: Uint32Array = new Uint32Array(0);
  let next = 0;
  return () => {
    if (next === words.length) {
      const digest = createHash("sha256").update(`${prefix}${block++}`).digest();
      words = new Uint32Array(digest.buffer, digest.byteOffset, digest.length / 4);
      next = 0;
    }
    return (words[next++] as number) / 2 ** 32;
  };
}
