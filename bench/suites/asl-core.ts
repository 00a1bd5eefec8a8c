/**
 * The ASL core against aws-local-stepfunctions, both in memory and in this process: the same definitions
 * and inputs, outputs checked equal before anything is timed.
 */
import { type Json, jsonEquals, type StateMachineDefinition } from "../../packages/asl/src/index.ts";
import { awsLocalStepFunctions, type Engine, type Execute, stepwise } from "../asl/engines.ts";
import { itemMap, itemMapInput, passChain, passChainInputs } from "../asl/machines.ts";
import { measure, perSecond } from "../measure.ts";
import { type Row, ratioRow, type Suite } from "../suite.ts";

const ENGINES = [stepwise, awsLocalStepFunctions] as const;
const SPEEDUP_TARGET = 10;

const CHAIN_EXECUTIONS = 10_000;
const CHAIN_WARMUP = 2_000;
const CHAIN_DISTINCT_INPUTS = 200;

const MAP_ITEMS = 1_000;
const MAP_EXECUTIONS = 25;
const MAP_WARMUP = 5;

interface Workload {
  benchmark: string;
  definition: StateMachineDefinition;
  inputs: Json[];
  executions: number;
  warmup: number;
  /** Extra figure per execution, e.g. Map items, reported as its own rate. */
  per?: { count: number; unit: string };
}

const workloads = (): Workload[] => [
  {
    benchmark: "10 Pass + Choice",
    definition: passChain,
    inputs: passChainInputs(CHAIN_DISTINCT_INPUTS),
    executions: CHAIN_EXECUTIONS,
    warmup: CHAIN_WARMUP,
  },
  {
    benchmark: `inline Map, ${MAP_ITEMS} items`,
    definition: itemMap,
    inputs: Array.from({ length: MAP_EXECUTIONS }, (_, batch) => itemMapInput(MAP_ITEMS, batch)),
    executions: MAP_EXECUTIONS,
    warmup: MAP_WARMUP,
    per: { count: MAP_ITEMS, unit: "items/s" },
  },
];

/** Every engine must give the same output for every distinct input, or the timings compare nothing. */
async function checkSameOutputs(work: Workload, prepared: Map<Engine, Execute>): Promise<void> {
  for (const [index, input] of work.inputs.entries()) {
    const outputs = await Promise.all(ENGINES.map((engine) => prepared.get(engine)!(input)));
    const [reference, ...others] = outputs;
    others.forEach((output, i) => {
      if (!jsonEquals(reference!, output)) {
        throw new Error(
          `${work.benchmark}: ${ENGINES[i + 1]!.name} and ${ENGINES[0].name} disagree on input #${index}\n` +
            `${ENGINES[0].name}: ${JSON.stringify(reference)}\n${ENGINES[i + 1]!.name}: ${JSON.stringify(output)}`,
        );
      }
    });
  }
}

async function runSequentially(execute: Execute, inputs: Json[], count: number): Promise<void> {
  for (let i = 0; i < count; i++) await execute(inputs[i % inputs.length]!);
}

async function bench(work: Workload): Promise<Row[]> {
  const prepared = new Map(ENGINES.map((engine) => [engine, engine.prepare(work.definition)] as const));
  await checkSameOutputs(work, prepared);
  const rows: Row[] = [];
  const rates = new Map<Engine, number>();
  for (const engine of ENGINES) {
    const execute = prepared.get(engine)!;
    const timing = await measure({
      warmup: () => runSequentially(execute, work.inputs, work.warmup),
      round: () => runSequentially(execute, work.inputs, work.executions),
    });
    const rate = perSecond(work.executions, timing.medianMs);
    rates.set(engine, rate);
    const rounds = `median of ${timing.roundsMs.map((ms) => ms.toFixed(0)).join(", ")} ms for ${work.executions} executions`;
    rows.push({ benchmark: work.benchmark, subject: engine.name, value: rate, unit: "executions/s", note: rounds });
    if (work.per) rows.push({ benchmark: work.benchmark, subject: engine.name, value: rate * work.per.count, unit: work.per.unit });
  }
  const [ours, ...peers] = ENGINES;
  for (const peer of peers) {
    rows.push(ratioRow(work.benchmark, `${ours.name} / ${peer.name}`, rates.get(ours)!, rates.get(peer)!, SPEEDUP_TARGET));
  }
  return rows;
}

export const suite: Suite = {
  name: "asl-core",
  async run() {
    const rows: Row[] = [];
    for (const work of workloads()) rows.push(...(await bench(work)));
    return rows;
  },
};
