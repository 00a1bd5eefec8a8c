/**
 * How many event streams each credential holds open in this process. A stream holds a page of events
 * and a connection for as long as its reader stays, so without a cap one credential could open streams
 * until the process runs out of memory.
 */
import { RestError } from "./rest-error.ts";

export class StreamSlots {
  private readonly open = new Map<string, number>();

  constructor(private readonly perCredential: number) {}

  /** Takes a slot for `principal`, or refuses with 429; call the returned function once the stream ends. */
  take(principal: string): () => void {
    const held = this.open.get(principal) ?? 0;
    if (held >= this.perCredential) {
      throw new RestError(
        429,
        "ThrottlingException",
        `Rate exceeded: ${principal} already holds ${held} open event streams (STEPWISE_MAX_STREAMS_PER_CREDENTIAL); close one first`,
      );
    }
    this.open.set(principal, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(principal) ?? 1) - 1;
      if (left > 0) this.open.set(principal, left);
      else this.open.delete(principal);
    };
  }
}
