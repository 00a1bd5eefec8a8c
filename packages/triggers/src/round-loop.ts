/**
 * The loop both trigger runners share (schedules, event deliveries): run a round, go again at once while
 * a round found a full batch, otherwise wait `pollMs` (or until closed). A failed round is logged and the
 * loop goes on; closing waits for the round under way.
 */
import type { Runtime } from "@stepwise/runtime";

export interface RoundLoop {
  close(): Promise<void>;
}

export function startRoundLoop(
  runtime: Runtime,
  round: () => Promise<number>,
  { batch, pollMs, what }: { batch: number; pollMs: number; what: string },
): RoundLoop {
  let stopped = false;
  let running: Promise<number> | undefined;
  let wake: (() => void) | undefined;
  const loop = async () => {
    while (!stopped) {
      running = round().catch((err) => {
        runtime.logger.error({ err }, `${what} round failed`);
        return 0;
      });
      if ((await running) < batch) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, pollMs);
        });
      }
    }
  };
  void loop();
  return {
    close: async () => {
      stopped = true;
      wake?.();
      await running;
    },
  };
}
