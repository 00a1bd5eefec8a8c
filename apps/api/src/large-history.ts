/**
 * For the tests of history paging: an execution whose events are all large. Every Pass state of the
 * chain enters and exits with the whole input, so `passes` states make 2 × passes + 2 events of about
 * `bytes` each.
 */
import type { StateMachineDefinition } from "@stepwise/asl";

export function passChain(passes: number): StateMachineDefinition {
  const names = Array.from({ length: passes }, (_, i) => `P${i + 1}`);
  return {
    StartAt: names[0]!,
    States: Object.fromEntries(
      names.map((name, i) => [name, i + 1 < names.length ? { Type: "Pass", Next: names[i + 1]! } : { Type: "Pass", End: true }]),
    ),
  } as StateMachineDefinition;
}

/** An execution input of about `bytes` bytes (AWS's limit is 262,144). */
export const largeInput = (bytes: number) => JSON.stringify({ blob: "x".repeat(bytes) });

/** Events of a `passChain(passes)` execution that succeeded. */
export const passChainEvents = (passes: number) => 2 * passes + 2;
