/**
 * The chaos test's mix of machines: Task chains with Retry and Catch, a Wait, a Parallel and a Map, each
 * with the output it must end with whatever faults happen along the way.
 */
import type { Json, StateMachineDefinition } from "@stepwise/asl";

const fn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const task = (name: string, next?: string) => ({ Type: "Task", Resource: fn(name), ...(next ? { Next: next } : { End: true }) });
const chain = (length: number) => {
  const states: Record<string, unknown> = {};
  for (let i = 0; i < length; i++) states[`S${i}`] = task("step", i < length - 1 ? `S${i + 1}` : undefined);
  return { StartAt: "S0", States: states };
};

export interface WorkloadKind {
  name: string;
  definition: StateMachineDefinition;
  input: Json;
  /** Successful runs of each handler one execution needs (flaky's failed attempts are retries, not re-runs). */
  handlerRuns: Record<string, number>;
  /** Why the output is wrong, or undefined when it is right. */
  checkOutput(output: unknown): string | undefined;
}

const nOf = (value: unknown) => (value as { n?: unknown } | null)?.n;
const expectN = (output: unknown, n: number) => (nOf(output) === n ? undefined : `expected n=${n}, got ${JSON.stringify(output)}`);
const expectAllN = (output: unknown, count: number, n: number) =>
  Array.isArray(output) && output.length === count && output.every((o) => nOf(o) === n)
    ? undefined
    : `expected ${count} outputs with n=${n}, got ${JSON.stringify(output)}`;

export const workloadKinds: WorkloadKind[] = [
  {
    name: "retry-catch",
    definition: {
      StartAt: "S0",
      States: {
        S0: task("step", "S1"),
        S1: {
          ...task("flaky", "S2"),
          Retry: [{ ErrorEquals: ["Transient"], IntervalSeconds: 1, MaxAttempts: 10, BackoffRate: 1 }],
        },
        S2: { ...task("boom", "S3"), Catch: [{ ErrorEquals: ["Boom"], ResultPath: "$.caught", Next: "S3" }] },
        S3: task("step"),
      },
    } as unknown as StateMachineDefinition,
    input: { n: 0 },
    handlerRuns: { step: 2, flaky: 1, boom: 1 },
    checkOutput: (output) => expectN(output, 3),
  },
  {
    name: "wait",
    definition: {
      StartAt: "A",
      States: { A: task("step", "W"), W: { Type: "Wait", Seconds: 1, Next: "B" }, B: task("step") },
    } as unknown as StateMachineDefinition,
    input: { n: 0 },
    handlerRuns: { step: 2 },
    checkOutput: (output) => expectN(output, 2),
  },
  {
    name: "parallel",
    definition: {
      StartAt: "P",
      States: { P: { Type: "Parallel", Branches: [chain(2), chain(2), chain(2)], End: true } },
    } as unknown as StateMachineDefinition,
    input: { n: 0 },
    handlerRuns: { step: 6 },
    checkOutput: (output) => expectAllN(output, 3, 2),
  },
  {
    name: "map",
    definition: {
      StartAt: "M",
      States: { M: { Type: "Map", ItemsPath: "$.items", ItemProcessor: chain(2), End: true } },
    } as unknown as StateMachineDefinition,
    input: { items: Array.from({ length: 5 }, () => ({ n: 0 })) },
    handlerRuns: { step: 10 },
    checkOutput: (output) => expectAllN(output, 5, 2),
  },
];
