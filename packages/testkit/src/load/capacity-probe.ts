/**
 * Phase 1 of a soak: how many executions per second the cluster completes when it is kept busy. A fixed
 * number of executions are kept in flight (closed loop: each one ended starts the next), and that number
 * is raised step by step until throughput stops growing; the best step's rate is the capacity. On a
 * machine shared with other work one step can come out low by chance, so the ramp stops only after two
 * steps in a row that do not beat the best.
 */
import type { CompletionWatcher } from "./completion-watcher.ts";
import type { ExecutionStarter } from "./execution-starter.ts";

export interface ProbeStep {
  inFlight: number;
  perSecond: number;
}

export interface ProbeResult {
  steps: ProbeStep[];
  /** The highest throughput of any step, in executions per second. */
  capacity: number;
}

export interface ProbeOptions {
  /** Executions in flight at each step, ascending. */
  inFlight: readonly number[];
  stepMs: number;
  /** Throughput must grow by this factor from one step to the next for the ramp to go on. */
  minGain: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function probeCapacity(
  starter: ExecutionStarter,
  watcher: CompletionWatcher,
  options: ProbeOptions,
  log: (line: string) => void,
): Promise<ProbeResult> {
  let completed = 0;
  let stopping = false;
  const slots: Promise<void>[] = [];
  const slot = async () => {
    while (!stopping) {
      const started = await starter.startNext();
      if (!started) return;
      await watcher.ended(started.executionArn);
      completed += 1;
    }
  };
  const steps: ProbeStep[] = [];
  let best = 0;
  let flat = 0;
  for (const inFlight of options.inFlight) {
    while (slots.length < inFlight) slots.push(slot());
    // The first quarter of a step fills the new slots; the rest is measured.
    await sleep(options.stepMs / 4);
    const [from, since] = [completed, starter.now()];
    await sleep((options.stepMs * 3) / 4);
    const perSecond = ((completed - from) * 1000) / (starter.now() - since);
    steps.push({ inFlight, perSecond });
    log(`[load] probe: ${inFlight} in flight, ${perSecond.toFixed(1)} executions/s`);
    flat = perSecond < best * options.minGain ? flat + 1 : 0;
    if (flat === 2) break;
    best = Math.max(best, perSecond);
  }
  stopping = true;
  await Promise.all(slots);
  return { steps, capacity: Math.max(...steps.map((s) => s.perSecond)) };
}
