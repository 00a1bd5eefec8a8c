/**
 * `npx tsx bench/asl/profile.ts [chain|map] [executions]`: runs one ASL bench workload on Stepwise alone
 * under the V8 CPU profiler and prints where the time goes, by self time and by total (inclusive) time,
 * per function and per source file. `--save file.cpuprofile` also writes the raw profile for DevTools.
 */
import { writeFile } from "node:fs/promises";
import type { Runtime } from "node:inspector";
import { Session } from "node:inspector/promises";
import { stepwise } from "./engines.ts";
import { itemMap, itemMapInput, passChain, passChainInputs } from "./machines.ts";

const args = process.argv.slice(2);
const saveAt = args.indexOf("--save");
const savePath = saveAt >= 0 ? args.splice(saveAt, 2)[1] : undefined;
const workload = args[0] ?? "chain";
const executions = Number(args[1] ?? (workload === "map" ? 20 : 10_000));

const setups = {
  chain: () => ({ execute: stepwise.prepare(passChain), inputs: passChainInputs(200) }),
  map: () => ({ execute: stepwise.prepare(itemMap), inputs: Array.from({ length: 10 }, (_, b) => itemMapInput(1_000, b)) }),
};
const setup = setups[workload as keyof typeof setups];
if (!setup) throw new Error(`Unknown workload '${workload}', expected one of ${Object.keys(setups).join(", ")}`);
const { execute, inputs } = setup();

const runAll = async (count: number) => {
  for (let i = 0; i < count; i++) await execute(inputs[i % inputs.length]!);
};

await runAll(Math.ceil(executions / 5));
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: 100 });
await session.post("Profiler.start");
await runAll(executions);
const { profile } = await session.post("Profiler.stop");
session.disconnect();
if (savePath) await writeFile(savePath, JSON.stringify(profile));

const ROOT = new URL("../../", import.meta.url).href;
// tsx hands V8 transformed modules, so profile line numbers are meaningless: name functions by file only.
const where = (frame: Runtime.CallFrame) => (frame.url ? frame.url.replace(ROOT, "").replace(/^file:\/\//, "") : "(native)");
const label = (frame: Runtime.CallFrame) => `${frame.functionName || "(anonymous)"}  ${where(frame)}`;

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
const sampleMs = new Map<number, number>();
const deltas = profile.timeDeltas ?? [];
const isProfilerItself = (id: number): boolean => {
  for (let node: number | undefined = id; node !== undefined; node = parentOf.get(node)) {
    if (byId.get(node)!.callFrame.url.startsWith("node:inspector")) return true;
  }
  return false;
};
(profile.samples ?? []).forEach((id, i) => {
  if (!isProfilerItself(id)) sampleMs.set(id, (sampleMs.get(id) ?? 0) + (deltas[i] ?? 0) / 1000);
});
const totalMs = [...sampleMs.values()].reduce((a, b) => a + b, 0);

const self = new Map<string, number>();
const inclusive = new Map<string, number>();
const files = new Map<string, number>();
for (const [id, ms] of sampleMs) {
  const frame = byId.get(id)!.callFrame;
  self.set(label(frame), (self.get(label(frame)) ?? 0) + ms);
  const file = where(frame);
  files.set(file, (files.get(file) ?? 0) + ms);
  const seen = new Set<string>();
  for (let node: number | undefined = id; node !== undefined; node = parentOf.get(node)) {
    const key = label(byId.get(node)!.callFrame);
    if (!seen.has(key)) inclusive.set(key, (inclusive.get(key) ?? 0) + ms);
    seen.add(key);
  }
}

const top = (title: string, table: Map<string, number>, count: number) => {
  const lines = [...table].sort((a, b) => b[1] - a[1]).slice(0, count);
  const body = lines.map(([key, ms]) => `${((ms / totalMs) * 100).toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(6)} ms  ${key}`);
  return `${title}\n${body.join("\n")}\n`;
};
process.stdout.write(`Stepwise, ${workload}, ${executions} executions, ${totalMs.toFixed(0)} ms sampled\n\n`);
process.stdout.write(
  `${top("self time by function", self, 30)}\n${top("self time by file", files, 20)}\n${top("total time by function", inclusive, 40)}`,
);
