/**
 * The randomness one interpreter step draws from (task tokens, timer ids, retry jitter), derived from
 * the execution's secret seed and where the step stands, so a transition run again after a rollback
 * draws exactly what it drew the first time. That keeps `ctx.taskId` a stable idempotency key even for
 * a handler that ran inside a transaction which then rolled back (an inline task; see inline-tasks.ts):
 * run again, it meets the same task id. The seed is secret random bytes kept with the execution, and
 * the stream is SHA-512 in counter mode, so tokens stay unguessable from one another.
 */
import { createHash } from "node:crypto";

/**
 * Where a step stands, which no other step of the execution shares. The event id alone does not tell
 * steps apart: a step may add no event (a distributed Map's items record none in the parent's history),
 * so steps in later transactions can start at the same one. The thread's row version can: every
 * transaction that moves a thread on bumps it, and one rolled back leaves it as it was.
 */
export interface StepPlace {
  /** The step's first event id. */
  eventId: number;
  threadId: string;
  /** Its thread's row version as this transaction read it; -1 for a thread it created. */
  threadVersion: number;
  /** Which of the transaction's steps at that event id. */
  index: number;
}

export function stepRandom(seed: string, place: StepPlace): () => number {
  const prefix = `${seed}:${place.eventId}:${place.threadId}:${place.threadVersion}:${place.index}:`;
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
