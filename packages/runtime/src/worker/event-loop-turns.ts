/**
 * Which turn of the event loop this is, so a handler that answered within the turn it was called in
 * (it waited on no I/O and no timer) can be told from one that waited. Its wall time alone cannot tell
 * them apart on a busy worker: an answer given at once still waits behind the microtasks of every other
 * transition in flight before its caller resumes.
 */
let turn = 0;
let counting = false;

/** The current turn's number. Counting is lazy: one immediate per turn in which anyone asked. */
export function eventLoopTurn(): number {
  if (!counting) {
    counting = true;
    setImmediate(() => {
      turn++;
      counting = false;
    });
  }
  return turn;
}
