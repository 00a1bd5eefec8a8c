/**
 * The randomness one interpreter step draws from (task tokens, timer ids, retry jitter), derived from
 * the execution's secret seed and where the step stands, so a transition run again after a rollback
 * draws exactly what it drew the first time. That keeps `ctx.taskId` a stable idempotency key even for
 * a handler that ran inside a transaction which then rolled back (an inline task; see inline-tasks.ts):
 * run again, it meets the same task id. The seed is secret random bytes kept with the execution, and
 * the stream is SHA-512 in counter mode, so tokens stay unguessable from one another.
 */
import { createHash } from "node:crypto";

/** `eventId`: the step's first event id; `index`: which of the transition's steps at that event id (a step may add none). */
export function stepRandom(seed: string, eventId: number, index: number): () => number {
  const prefix = `${seed}:${eventId}:${index}:`;
  let block = 0;
  let words: Uint16Array = new Uint16Array(0);
  let next = 0;
  // SHA-512 gives 32 draws a call, as many as a UUID takes: a hash per draw cost a task state about 10 µs.
  // 16 bits a draw is ample for ids (4 bits a hex digit) and retry jitter alike.
  return () => {
    if (next === words.length) {
      const digest = createHash("sha512").update(`${prefix}${block++}`).digest();
      words = new Uint16Array(digest.buffer, digest.byteOffset, digest.length / 2);
      next = 0;
    }
    return (words[next++] as number) / 2 ** 16;
  };
}
