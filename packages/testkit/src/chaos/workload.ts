/**
 * The chaos test's mix of machines: a Task chain with Retry and Catch, a Wait, a Parallel, a Map, a
 * distributed Map (child executions) and a `.waitForTaskToken` callback. Each draws its input from the seeded random, and the input alone says how
 * the execution must end (status, output or error) and how many task attempts its history must show.
 */
import type { Json, StateMachineDefinition } from "@stepwise/asl";

const fn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const task = (name: string, next?: string) => ({ Type: "Task", Resource: fn(name), ...(next ? { Next: next } : { End: true }) });
const chain = (length: number) => {
  const states: Record<string, unknown> = {};
  for (let i = 0; i < length; i++) states[`S${i}`] = task("step", i < length - 1 ? `S${i + 1}` : undefined);
  return { StartAt: "S0", States: states };
};
const pick = <T>(random: () => number, values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;

/** A closed range of how many events of a kind the history must hold. */
export type Range = readonly [number, number];
const exactly = (n: number): Range => [n, n];

export interface Expectation {
  status: "SUCCEEDED" | "FAILED";
  /** FAILED: the execution's error. */
  error?: string;
  /** SUCCEEDED: why the output is wrong, or undefined when it is right. */
  checkOutput?: (output: unknown) => string | undefined;
  taskSucceeded: Range;
  taskFailed: Range;
}

export interface WorkloadKind {
  name: string;
  definition: StateMachineDefinition;
  input(random: () => number): Json;
  expect(input: Json): Expectation;
}

type Output = { n?: unknown; pids?: unknown; [key: string]: unknown } | null;
/** n counts the steps applied; pids has one entry per step, so a step applied twice shows in both. */
const stepsDone = (output: unknown, n: number) => {
  const o = output as Output;
  return o?.n === n && Array.isArray(o.pids) && o.pids.length === n ? undefined : `expected n=${n}, got ${JSON.stringify(output)}`;
};
const errorCaughtAt = (output: unknown, path: string, error: string) =>
  ((output as Output)?.[path] as { Error?: unknown } | undefined)?.Error === error ? undefined : `expected $.${path}.Error=${error}`;
const each = (output: unknown, expected: number[]) =>
  Array.isArray(output) && output.length === expected.length
    ? output.map((o, i) => stepsDone(o, expected[i] as number)).find((p) => p !== undefined)
    : `expected ${expected.length} outputs, got ${JSON.stringify(output)}`;
const all = (...problems: Array<string | undefined>) => problems.find((p) => p !== undefined);

const MAX_ATTEMPTS = 3;

const retryCatch: WorkloadKind = {
  name: "retry-catch",
  definition: {
    StartAt: "S0",
    States: {
      S0: task("step", "S1"),
      S1: {
        Type: "Task",
        Resource: fn("flaky"),
        Parameters: { "state.$": "$", "retry.$": "$$.State.RetryCount" },
        Retry: [{ ErrorEquals: ["Transient"], IntervalSeconds: 1, MaxAttempts: MAX_ATTEMPTS, BackoffRate: 1 }],
        Catch: [{ ErrorEquals: ["Transient"], ResultPath: "$.gaveUp", Next: "S3" }],
        Next: "S2",
      },
      S2: { ...task("judge", "S3"), Catch: [{ ErrorEquals: ["Boom"], ResultPath: "$.caught", Next: "S3" }] },
      S3: task("step"),
    },
  } as unknown as StateMachineDefinition,
  // failures > MAX_ATTEMPTS exhausts the Retry and is caught; otherwise the judge's verdict decides.
  input: (random) => ({ n: 0, failures: Math.floor(random() * (MAX_ATTEMPTS + 2)), verdict: pick(random, ["pass", "catch", "fail"]) }),
  expect(input) {
    const { failures, verdict } = input as { failures: number; verdict: string };
    if (failures > MAX_ATTEMPTS)
      return {
        status: "SUCCEEDED",
        checkOutput: (o) => all(stepsDone(o, 2), errorCaughtAt(o, "gaveUp", "Transient")),
        taskSucceeded: exactly(2),
        taskFailed: exactly(MAX_ATTEMPTS + 1),
      };
    if (verdict === "pass")
      return { status: "SUCCEEDED", checkOutput: (o) => stepsDone(o, 4), taskSucceeded: exactly(4), taskFailed: exactly(failures) };
    if (verdict === "catch")
      return {
        status: "SUCCEEDED",
        checkOutput: (o) => all(stepsDone(o, 3), errorCaughtAt(o, "caught", "Boom")),
        taskSucceeded: exactly(3),
        taskFailed: exactly(failures + 1),
      };
    return { status: "FAILED", error: "Fatal", taskSucceeded: exactly(2), taskFailed: exactly(failures + 1) };
  },
};

const wait: WorkloadKind = {
  name: "wait",
  definition: {
    StartAt: "A",
    States: { A: task("step", "W"), W: { Type: "Wait", SecondsPath: "$.seconds", Next: "B" }, B: task("step") },
  } as unknown as StateMachineDefinition,
  input: (random) => ({ n: 0, seconds: pick(random, [1, 2]) }),
  expect: () => ({ status: "SUCCEEDED", checkOutput: (o) => stepsDone(o, 2), taskSucceeded: exactly(2), taskFailed: exactly(0) }),
};

const parallel: WorkloadKind = {
  name: "parallel",
  definition: {
    StartAt: "P",
    States: {
      P: {
        Type: "Parallel",
        Branches: [chain(2), chain(2), { StartAt: "J", States: { J: task("judge") } }],
        Catch: [{ ErrorEquals: ["Fatal"], ResultPath: "$.caught", Next: "Done" }],
        Next: "Done",
      },
      Done: { Type: "Pass", End: true },
    },
  } as unknown as StateMachineDefinition,
  // "fail" is caught by the Parallel; "catch" (Boom) is not, and fails the execution.
  input: (random) => ({ n: 0, verdict: pick(random, ["pass", "pass", "catch", "fail"]) }),
  expect(input) {
    const { verdict } = input as { verdict: string };
    // A failing branch stops its siblings wherever they are: up to 4 steps may have finished.
    if (verdict === "pass")
      return { status: "SUCCEEDED", checkOutput: (o) => each(o, [2, 2, 1]), taskSucceeded: exactly(5), taskFailed: exactly(0) };
    if (verdict === "fail")
      return {
        status: "SUCCEEDED",
        checkOutput: (o) =>
          all(
            (o as Output)?.n === 0 ? undefined : `expected the input back, got ${JSON.stringify(o)}`,
            errorCaughtAt(o, "caught", "Fatal"),
          ),
        taskSucceeded: [0, 4],
        taskFailed: exactly(1),
      };
    return { status: "FAILED", error: "Boom", taskSucceeded: [0, 4], taskFailed: exactly(1) };
  },
};

/**
 * A Map over 2–6 items, each a chain of two steps. Inline, its items' task events are in the execution's
 * history; distributed, each item is a child execution with its own history, so the parent's holds none
 * (the output says every item ran its chain, and the re-run audit that each step ran once).
 */
function mapKind(name: string, distributed: boolean): WorkloadKind {
  const processor = distributed ? { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, ...chain(2) } : chain(2);
  return {
    name,
    definition: {
      StartAt: "M",
      States: { M: { Type: "Map", ItemsPath: "$.items", MaxConcurrency: 3, ItemProcessor: processor, End: true } },
    } as unknown as StateMachineDefinition,
    input: (random) => ({ items: Array.from({ length: 2 + Math.floor(random() * 5) }, () => ({ n: 0 })) }),
    expect(input) {
      const items = (input as { items: unknown[] }).items.length;
      return {
        status: "SUCCEEDED",
        checkOutput: (o) =>
          each(
            o,
            Array.from({ length: items }, () => 2),
          ),
        taskSucceeded: exactly(distributed ? 0 : 2 * items),
        taskFailed: exactly(0),
      };
    },
  };
}

const map = mapKind("map", false);
const distributedMap = mapKind("distributed-map", true);

const callback: WorkloadKind = {
  name: "callback",
  definition: {
    StartAt: "A",
    States: {
      A: task("step", "Ask"),
      Ask: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
        Parameters: { FunctionName: "notify", Payload: { "token.$": "$$.Task.Token", "verdict.$": "$.verdict" } },
        ResultPath: "$.answer",
        Next: "B",
      },
      B: task("step"),
    },
  } as unknown as StateMachineDefinition,
  // The chaos client answers "approve" with SendTaskSuccess and "reject" with SendTaskFailure.
  input: (random) => ({ n: 0, verdict: pick(random, ["approve", "approve", "reject"]) }),
  expect(input) {
    if ((input as { verdict: string }).verdict === "reject")
      return { status: "FAILED", error: "Rejected", taskSucceeded: exactly(1), taskFailed: exactly(1) };
    return {
      status: "SUCCEEDED",
      checkOutput: (o) =>
        all(
          stepsDone(o, 2),
          (o as Output)?.answer && (o as { answer: { approved?: unknown } }).answer.approved === true ? undefined : "no answer",
        ),
      taskSucceeded: exactly(3),
      taskFailed: exactly(0),
    };
  },
};

export const workloadKinds: WorkloadKind[] = [retryCatch, wait, parallel, map, distributedMap, callback];

/** What the chaos client sends SendTaskSuccess/Failure with, for a callback's verdict. */
export function callbackAnswer(verdict: string): { output: Json } | { error: string; cause: string } {
  return verdict === "approve" ? { output: { approved: true } } : { error: "Rejected", cause: "the chaos client said no" };
}
