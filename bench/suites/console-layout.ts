/**
 * The console's graph layout: elkjs placing a 50-state definition with Parallel branches and Map item
 * processors nested inside each other, as the console does before drawing an execution or a preview.
 * The first layout in a fresh process (elkjs compiling) is reported apart from the warm ones.
 */
import { performance } from "node:perf_hooks";
import { layoutGraph } from "../../apps/console/src/client/graph/graph-layout.ts";
import { buildGraph, type GraphNode } from "../../apps/console/src/client/graph/graph-model.ts";
import type { StateMachineDefinition, StatesBlock } from "../../packages/asl/src/index.ts";
import { measure } from "../measure.ts";
import type { Row, Suite } from "../suite.ts";

const TARGET_MS = 1000;
const STATES = 50;
const LAYOUTS_PER_ROUND = 10;
const WARMUP_LAYOUTS = 5;
const task = (next?: string) => ({
  Type: "Task" as const,
  Resource: "arn:aws:lambda:us-east-1:123456789012:function:work",
  Retry: [{ ErrorEquals: ["States.Timeout"], MaxAttempts: 2 }],
  ...(next ? { Next: next } : { End: true }),
});

/** `count` states in a chain, the last one ending the block. */
function chain(prefix: string, count: number): StatesBlock {
  const names = Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);
  return { StartAt: names[0]!, States: Object.fromEntries(names.map((name, i) => [name, task(names[i + 1])])) };
}

/**
 * 50 states: a top-level flow with a Choice and Catch edges, a Parallel of three branches (one holding
 * a Map whose processor holds a Parallel), and a top-level Map with a Choice inside.
 */
export function fiftyStateDefinition(): StateMachineDefinition {
  const innerParallel = { Type: "Parallel" as const, Branches: [chain("DeepA", 3), chain("DeepB", 3)], End: true };
  const branchMap = {
    Type: "Map" as const,
    ItemProcessor: { StartAt: "Prepare", States: { Prepare: task("Nested"), Nested: innerParallel } },
    Next: "AfterMap",
  };
  const fanOut = {
    Type: "Parallel" as const,
    Branches: [chain("Left", 6), chain("Middle", 6), { StartAt: "PerItem", States: { PerItem: branchMap, AfterMap: task() } }],
    Catch: [{ ErrorEquals: ["States.ALL"], Next: "Recover" }],
    Next: "Each",
  };
  const each = {
    Type: "Map" as const,
    ItemProcessor: {
      StartAt: "Route",
      States: {
        Route: { Type: "Choice" as const, Choices: [{ Variable: "$.kind", StringEquals: "big", Next: "Big1" }], Default: "Small1" },
        ...chain("Big", 6).States,
        ...chain("Small", 6).States,
      },
    },
    Next: "Finish1",
  };
  return {
    StartAt: "Start1",
    States: {
      ...Object.fromEntries(
        Object.entries(chain("Start", 4).States).map(([name, state]) => [name, name === "Start4" ? task("Decide") : state]),
      ),
      Decide: { Type: "Choice", Choices: [{ Variable: "$.n", NumericGreaterThan: 3, Next: "FanOut" }], Default: "Each" },
      FanOut: fanOut,
      Each: each,
      Recover: { Type: "Pass", Next: "Failed" },
      Failed: { Type: "Fail", Error: "Flow.Failed" },
      ...chain("Finish", 6).States,
    },
  };
}

function countStates(nodes: GraphNode[]): number {
  return nodes.reduce((sum, n) => sum + (n.stateName === undefined ? 0 : 1) + countStates(n.children), 0);
}

async function layouts(definition: StateMachineDefinition, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await layoutGraph(buildGraph(definition));
}

export const suite: Suite = {
  name: "console-layout",
  async run() {
    const definition = fiftyStateDefinition();
    const states = countStates(buildGraph(definition).root.children);
    if (states !== STATES) throw new Error(`console-layout: the definition has ${states} states, not ${STATES}`);
    const benchmark = `elkjs layout, ${STATES} states, nested Parallel and Map`;
    const coldStart = performance.now();
    await layouts(definition, 1);
    const coldMs = performance.now() - coldStart;
    const timing = await measure({
      warmup: () => layouts(definition, WARMUP_LAYOUTS),
      round: () => layouts(definition, LAYOUTS_PER_ROUND),
    });
    const warmMs = timing.medianMs / LAYOUTS_PER_ROUND;
    const verdict = (ms: number) => `target < ${TARGET_MS} ms${ms < TARGET_MS ? "" : " — MISSED"}`;
    const rows: Row[] = [
      { benchmark, subject: "first layout in the process", value: coldMs, unit: "ms", note: verdict(coldMs) },
      {
        benchmark,
        subject: "warm layout",
        value: warmMs,
        unit: "ms",
        note: `${verdict(warmMs)}; rounds of ${LAYOUTS_PER_ROUND}: ${timing.roundsMs.map((ms) => ms.toFixed(0)).join(", ")} ms`,
      },
    ];
    return rows;
  },
};
