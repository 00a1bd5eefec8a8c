/**
 * The handlers the load test's worker processes run (apps/worker with STEPWISE_HANDLERS_MODULE). `step`
 * answers at once, so what the load measures is Stepwise's own cost per state, not a handler's.
 */
import type { TaskHandler } from "@stepwise/runtime";

export const handlers: Record<string, TaskHandler> = {
  step: (input) => ({ n: (input as { n: number }).n + 1 }),
};
