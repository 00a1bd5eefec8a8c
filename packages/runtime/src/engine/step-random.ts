/**
 * The randomness one interpreter step draws from (task tokens, timer ids, retry jitter), derived from
 * the execution's secret seed and where the step stands in its own thread, so a step run again after a
 * rollback draws exactly what it drew the first time. That keeps `ctx.taskId` a stable idempotency key
 * even for a handler that ran inside a transaction which then rolled back (an inline task; see
 * inline-tasks.ts): run again, it meets the same task id. The seed is secret random bytes kept with the
 * execution, and the stream is SHA-512 in counter mode, so tokens stay unguessable from one another.
 */
import { createHash } from "node:crypto";
import type { ThreadPosition } from "@stepwise/asl";

/**
 * Where a step stands, which no other step of the execution shares, and which nothing but the thread's
 * own earlier steps can change. Not the step's event id, nor its thread's row version: between a
 * transaction that rolled back and its retry, other branches of a Parallel (or Map items) may commit and
 * move the history on, and the retry may fall in a transaction of its own where the first shared one
 * with other steps, or the reverse (a handler that answered inline the first time, not the second).
 */
export interface StepPlace {
  /** The execution's redrive count: a redrive rebuilds the threads it runs again, draw counts and all. */
  redriveCount: number;
  /**
   * The fan-out that made the thread ("" for the root): a Parallel or Map entered again (a Catch or a
   * Retry leading back to it) makes children of the same thread ids, with counts from 0.
   */
  fanOutId: string;
  threadId: string;
  /** How many of the thread's earlier steps drew (its position's `draws`). */
  draws: number;
}

export function stepPlace(position: ThreadPosition, redriveCount: number): StepPlace {
  return { redriveCount, fanOutId: position.parent?.fanOutId ?? "", threadId: position.threadId, draws: position.draws ?? 0 };
}

/** A step's stream of numbers in [0, 1); `drew` says whether the step used it, and so counts as a draw. */
export class StepRandom {
  private readonly prefix: string;
  private block = 0;
  private words: Uint16Array = new Uint16Array(0);
  private taken = 0;
  drew = false;

  constructor(seed: string, place: StepPlace) {
    // JSON keeps the parts apart whatever a thread id (made of state names) holds.
    this.prefix = JSON.stringify([seed, place.redriveCount, place.fanOutId, place.threadId, place.draws]);
  }

  // SHA-512 gives 32 draws a call, as many as a UUID takes: a hash per draw cost a task state about 10 µs.
  // 16 bits a draw is ample for ids (4 bits a hex digit) and retry jitter alike.
  readonly random = (): number => {
    this.drew = true;
    if (this.taken === this.words.length) {
      const digest = createHash("sha512")
        .update(`${this.prefix}${this.block++}`)
        .digest();
      this.words = new Uint16Array(digest.buffer, digest.byteOffset, digest.length / 2);
      this.taken = 0;
    }
    return (this.words[this.taken++] as number) / 2 ** 16;
  };
}
