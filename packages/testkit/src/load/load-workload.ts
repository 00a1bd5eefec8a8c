/**
 * The load test's mix of machines: a Task chain, a Choice, a short Wait, a Parallel and a small Map, all
 * on the `step` handler, each with the output it must end with. (The chaos suite's mix has random inputs
 * and failing handlers for its own purpose; a soak wants every execution alike from start to end.)
 */
import type { Json, StateMachineDefinition } from "@stepwise/asl";
import { taskChain } from "../worker-processes.ts";

export const STEP_RESOURCE = "arn:aws:lambda:us-east-1:123456789012:function:step";

export interface LoadKind {
  name: string;
  definition: StateMachineDefinition;
  input: Json;
  /** Why the output is wrong, or undefined when it is right. */
  checkOutput(output: unknown): string | undefined;
}

const expectN = (output: unknown, n: number) =>
  (output as { n?: unknown } | null)?.n === n ? undefined : `expected n=${n}, got ${JSON.stringify(output)}`;
const expectEachN = (output: unknown, count: number, n: number) =>
  Array.isArray(output) && output.length === count && output.every((o) => expectN(o, n) === undefined)
    ? undefined
    : `expected ${count} outputs with n=${n}, got ${JSON.stringify(output)}`;
const machine = (definition: unknown) => definition as StateMachineDefinition;

const CHAIN_LENGTH = 4;
const BRANCHES = ["A", "B", "C"];
const MAP_ITEMS = 4;

export const loadKinds: LoadKind[] = [
  {
    name: "chain",
    definition: taskChain(STEP_RESOURCE, CHAIN_LENGTH),
    input: { n: 0 },
    checkOutput: (output) => expectN(output, CHAIN_LENGTH),
  },
  {
    // The input routes to a two-Task branch; the default branch fails, so a wrong route cannot pass.
    name: "choice",
    definition: machine({
      ...taskChain(STEP_RESOURCE, 2, {
        Route: { Type: "Choice", Choices: [{ Variable: "$.route", StringEquals: "tasks", Next: "S0" }], Default: "Wrong" },
        Wrong: { Type: "Fail", Error: "WrongRoute" },
      }),
      StartAt: "Route",
    }),
    input: { n: 0, route: "tasks" },
    checkOutput: (output) => expectN(output, 2),
  },
  {
    name: "wait",
    definition: machine({
      StartAt: "A",
      States: {
        A: { Type: "Task", Resource: STEP_RESOURCE, Next: "W" },
        W: { Type: "Wait", Seconds: 1, Next: "B" },
        B: { Type: "Task", Resource: STEP_RESOURCE, End: true },
      },
    }),
    input: { n: 0 },
    checkOutput: (output) => expectN(output, 2),
  },
  {
    // State names are unique across branches, as CreateStateMachine requires.
    name: "parallel",
    definition: machine({
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          Branches: BRANCHES.map((b) => ({
            StartAt: `${b}0`,
            States: {
              [`${b}0`]: { Type: "Task", Resource: STEP_RESOURCE, Next: `${b}1` },
              [`${b}1`]: { Type: "Task", Resource: STEP_RESOURCE, End: true },
            },
          })),
          End: true,
        },
      },
    }),
    input: { n: 0 },
    checkOutput: (output) => expectEachN(output, BRANCHES.length, 2),
  },
  {
    name: "map",
    definition: machine({
      StartAt: "M",
      States: { M: { Type: "Map", ItemsPath: "$.items", ItemProcessor: taskChain(STEP_RESOURCE, 1), End: true } },
    }),
    input: { items: Array.from({ length: MAP_ITEMS }, () => ({ n: 0 })) },
    checkOutput: (output) => expectEachN(output, MAP_ITEMS, 1),
  },
];
