/**
 * Runs a batch of executions through the workers and reads what happened back from Postgres: the
 * execution rows' start and stop dates give the wall time and each latency, the history gives the
 * states and events. Every batch has a state machine of its own, so its rows are easy to pick out.
 */
import type { Json } from "../../packages/asl/src/index.ts";
import type { BenchEnvironment } from "./environment.ts";

export interface BatchResult {
  executions: number;
  /** First start_date to last stop_date. */
  wallMs: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** History events written. */
  events: number;
  /** `*StateEntered` events, Map items' states included. */
  states: number;
}

export interface BatchOptions {
  count: number;
  input: (index: number) => Json;
  /** StartExecution calls in flight at once from the bench process. */
  startConcurrency: number;
  timeoutMs: number;
}

const POLL_MS = 100;

export async function runBatch(env: BenchEnvironment, machineArn: string, options: BatchOptions): Promise<BatchResult> {
  let next = 0;
  const starter = async () => {
    while (next < options.count) {
      const index = next++;
      await env.runtime.engine.start({ stateMachineArn: machineArn, input: JSON.stringify(options.input(index)) });
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.startConcurrency, options.count) }, starter));
  await waitUntilClosed(env, machineArn, options.timeoutMs);
  return batchResult(env, machineArn, options.count);
}

/** One execution at a time, each started when the one before has ended: latency without queueing. */
export async function runOneByOne(
  env: BenchEnvironment,
  machineArn: string,
  count: number,
  input: (index: number) => Json,
): Promise<BatchResult> {
  for (let i = 0; i < count; i++) {
    const { executionArn } = await env.runtime.engine.start({ stateMachineArn: machineArn, input: JSON.stringify(input(i)) });
    for (;;) {
      const [row] = await env.sql<{ status: string }[]>`select status from executions where arn = ${executionArn}`;
      if (row?.status !== "RUNNING") break;
      await new Promise((r) => setTimeout(r, 2));
    }
  }
  return batchResult(env, machineArn, count);
}

async function waitUntilClosed(env: BenchEnvironment, machineArn: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await env.sql<{ running: number }[]>`
      select count(*)::int as running from executions where state_machine_arn = ${machineArn} and status = 'RUNNING'`;
    if (row?.running === 0) return;
    if (Date.now() > deadline) throw new Error(`${row?.running} executions of ${machineArn} still RUNNING after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

async function batchResult(env: BenchEnvironment, machineArn: string, expected: number): Promise<BatchResult> {
  const [summary] = await env.sql<{ executions: number; succeeded: number; wall_ms: number; p50: number; p99: number }[]>`
    select count(*)::int as executions,
           (count(*) filter (where status = 'SUCCEEDED'))::int as succeeded,
           extract(epoch from max(stop_date) - min(start_date)) * 1000 as wall_ms,
           percentile_cont(0.5) within group (order by extract(epoch from stop_date - start_date) * 1000) as p50,
           percentile_cont(0.99) within group (order by extract(epoch from stop_date - start_date) * 1000) as p99
    from executions where state_machine_arn = ${machineArn}`;
  if (!summary || summary.executions !== expected || summary.succeeded !== expected) {
    const statuses =
      await env.sql`select status, error, cause, count(*)::int from executions where state_machine_arn = ${machineArn} group by 1, 2, 3`;
    throw new Error(`expected ${expected} SUCCEEDED executions of ${machineArn}, found ${JSON.stringify(statuses)}`);
  }
  const [history] = await env.sql<{ events: number; states: number }[]>`
    select count(*)::int as events, (count(*) filter (where h.type like '%StateEntered'))::int as states
    from history_events h join executions e on e.arn = h.execution_arn
    where e.state_machine_arn = ${machineArn}`;
  return {
    executions: summary.executions,
    wallMs: Number(summary.wall_ms),
    latencyP50Ms: Number(summary.p50),
    latencyP99Ms: Number(summary.p99),
    events: history?.events ?? 0,
    states: history?.states ?? 0,
  };
}
