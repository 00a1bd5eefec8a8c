/**
 * The HTTP front: the API app (auth off, loopback) in this process on a bench environment, with a
 * worker beside it so the started executions run, driven by a keep-alive load generator speaking the
 * AWS JSON 1.0 protocol: StartExecution with a bounded number in flight for a bounded count and time,
 * then DescribeExecution of every execution started, once all have ended.
 * Server, worker and load generator share one process (and its CPU), so the figures are a floor.
 *
 * STEPWISE_BENCH_SCALE=0.1 runs a tenth of every count, to try the suite quickly.
 */
import { Agent, createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { Registry } from "prom-client";
import { createApiApp } from "../../apps/api/src/app.ts";
import { loadApiConfig } from "../../apps/api/src/config.ts";
import { startWorker, type WorkerProcess } from "../../packages/runtime/src/index.ts";
import { perSecond } from "../measure.ts";
import { type BenchEnvironment, createBenchEnvironment } from "../runtime/environment.ts";
import { taskChain } from "../runtime/machines.ts";
import type { Row, Suite } from "../suite.ts";

const SCALE = Number(process.env.STEPWISE_BENCH_SCALE ?? 1);
const scaled = (count: number) => Math.max(1, Math.round(count * SCALE));

const IN_FLIGHT = 32;
const STARTS = scaled(3_000);
const WARMUP_REQUESTS = scaled(200);
/** StartExecution stops being sent after this long; the row says how many were. */
const START_BUDGET_MS = 20_000;
const SETTLE_TIMEOUT_MS = 120_000;
const WORKER_CONCURRENCY = 16;
const CHAIN_LENGTH = 2;
const CONTENT_TYPE = "application/x-amz-json-1.0";

interface Reply {
  status: number;
  body: string;
}

interface PhaseResult {
  sent: number;
  wallMs: number;
  latenciesMs: number[];
  errors: string[];
  replies: Reply[];
}

/** One HTTP client over keep-alive sockets, at most IN_FLIGHT of them. */
function awsClient(endpoint: URL) {
  const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  const call = (action: string, body: unknown) =>
    new Promise<Reply>((resolve, reject) => {
      const payload = JSON.stringify(body);
      const req = request(
        {
          agent,
          host: endpoint.hostname,
          port: endpoint.port,
          method: "POST",
          path: "/",
          headers: {
            "Content-Type": CONTENT_TYPE,
            "X-Amz-Target": `AWSStepFunctions.${action}`,
            "Content-Length": Buffer.byteLength(payload),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
  return { call, close: () => agent.destroy() };
}

type Call = ReturnType<typeof awsClient>["call"];

/** Sends `count` requests, IN_FLIGHT at a time, until done or `budgetMs` has passed. */
async function runPhase(
  call: Call,
  action: string,
  count: number,
  body: (index: number) => unknown,
  budgetMs = Infinity,
): Promise<PhaseResult> {
  const latenciesMs: number[] = [];
  const errors: string[] = [];
  const replies: Reply[] = [];
  let next = 0;
  const start = performance.now();
  const sender = async () => {
    while (next < count && performance.now() - start < budgetMs) {
      const index = next++;
      const sent = performance.now();
      try {
        const reply = await call(action, body(index));
        latenciesMs.push(performance.now() - sent);
        replies[index] = reply;
        if (reply.status !== 200) errors.push(`${action} #${index}: HTTP ${reply.status} ${reply.body}`);
      } catch (error) {
        errors.push(`${action} #${index}: ${(error as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, count) }, sender));
  return { sent: next, wallMs: performance.now() - start, latenciesMs, errors, replies: replies.slice(0, next) };
}

/** Nearest-rank percentile. */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function failOnErrors(phase: PhaseResult, action: string): void {
  if (phase.errors.length === 0) return;
  const sample = phase.errors.slice(0, 5).join("\n  ");
  throw new Error(`${phase.errors.length} of ${phase.sent} ${action} requests failed:\n  ${sample}`);
}

function phaseRows(benchmark: string, phase: PhaseResult, note: string): Row[] {
  const subject = "Stepwise API";
  return [
    { benchmark, subject, value: perSecond(phase.sent, phase.wallMs), unit: "requests/s", note },
    { benchmark, subject, value: percentile(phase.latenciesMs, 50), unit: "ms latency p50" },
    { benchmark, subject, value: percentile(phase.latenciesMs, 99), unit: "ms latency p99" },
    { benchmark, subject, value: phase.errors.length, unit: "errors" },
  ];
}

async function listen(env: BenchEnvironment): Promise<{ server: Server; endpoint: URL }> {
  const config = loadApiConfig({ STEPWISE_AUTH: "off", HOST: "127.0.0.1", PORT: "0" });
  const server = createServer(createApiApp({ runtime: env.runtime, config, registry: new Registry() }));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.PORT, config.HOST, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return { server, endpoint: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`) };
}

async function waitUntilClosed(env: BenchEnvironment, machineArn: string): Promise<void> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  for (;;) {
    const [row] = await env.sql<{ running: number }[]>`
      select count(*)::int as running from executions where state_machine_arn = ${machineArn} and status = 'RUNNING'`;
    if (row?.running === 0) return;
    if (Date.now() > deadline) throw new Error(`${row?.running} executions still RUNNING after ${SETTLE_TIMEOUT_MS} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** StartExecution of `count` executions, then DescribeExecution of each once all have ended; every one must have SUCCEEDED. */
async function startThenDescribe(env: BenchEnvironment, call: Call, machineArn: string, count: number, budgetMs = Infinity) {
  const starts = await runPhase(
    call,
    "StartExecution",
    count,
    (n) => ({ stateMachineArn: machineArn, input: JSON.stringify({ n }) }),
    budgetMs,
  );
  failOnErrors(starts, "StartExecution");
  const arns = starts.replies.map((reply) => (JSON.parse(reply.body) as { executionArn: string }).executionArn);
  await waitUntilClosed(env, machineArn);
  const describes = await runPhase(call, "DescribeExecution", arns.length, (n) => ({ executionArn: arns[n] }));
  failOnErrors(describes, "DescribeExecution");
  const notSucceeded = describes.replies.filter((reply) => (JSON.parse(reply.body) as { status: string }).status !== "SUCCEEDED");
  if (notSucceeded.length > 0) throw new Error(`${notSucceeded.length} executions did not succeed, e.g. ${notSucceeded[0]!.body}`);
  return { starts, describes };
}

export const suite: Suite = {
  name: "http-api",
  async run() {
    const env = await createBenchEnvironment();
    let worker: WorkerProcess | undefined;
    let server: Server | undefined;
    let client: ReturnType<typeof awsClient> | undefined;
    try {
      worker = startWorker(env.runtime, { handlers: { noop: (input) => input }, concurrency: WORKER_CONCURRENCY });
      const listening = await listen(env);
      server = listening.server;
      client = awsClient(listening.endpoint);
      await startThenDescribe(env, client.call, await env.createMachine(taskChain(CHAIN_LENGTH), "http-warm"), WARMUP_REQUESTS);

      const machineArn = await env.createMachine(taskChain(CHAIN_LENGTH), "http");
      const { starts, describes } = await startThenDescribe(env, client.call, machineArn, STARTS, START_BUDGET_MS);
      const scaleNote = STARTS === 3_000 ? "" : `, scaled from 3000`;
      const stopped = starts.sent < STARTS ? `, stopped at ${START_BUDGET_MS / 1000} s of ${STARTS}` : "";
      return [
        ...phaseRows(
          `StartExecution, ${CHAIN_LENGTH}-Task no-op machine`,
          starts,
          `${starts.sent} requests, ${IN_FLIGHT} in flight, keep-alive${stopped}${scaleNote}`,
        ),
        ...phaseRows("DescribeExecution of those", describes, `${describes.sent} requests, ${IN_FLIGHT} in flight, all SUCCEEDED`),
      ];
    } finally {
      client?.close();
      if (server) {
        const closing = server;
        closing.closeAllConnections();
        await new Promise((resolve) => closing.close(resolve));
      }
      try {
        await worker?.close(true);
      } finally {
        await env.close();
      }
    }
  },
};
