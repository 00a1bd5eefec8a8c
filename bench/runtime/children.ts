/**
 * Bench child processes (Stepwise workers, raw BullMQ workers) started like the worker-crash scenario
 * starts them: `node --import tsx script`, with an IPC channel. Every child started here is tracked,
 * so `stopAllChildren` can end them whatever happened to the bench.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { peakRssBytes, resetPeakRss } from "./proc-stats.ts";
import type { QueryCounts } from "./query-counter.ts";

export interface ChildRequest {
  id: number;
  type: "counts" | "resetCounts";
}

export interface ChildReply {
  id: number;
  queries: QueryCounts;
}

const READY_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 10_000;

const running = new Set<ChildProcess>();
let nextRequest = 0;

export interface BenchChild {
  pid: number;
  peakRssBytes(): number;
  resetPeakRss(): void;
  request(type: ChildRequest["type"]): Promise<ChildReply>;
  stop(): Promise<void>;
}

/** `nodeArgs` go before the script, e.g. `--cpu-prof`. */
export function startChild(script: string, env: Record<string, string>, nodeArgs: readonly string[] = []): Promise<BenchChild> {
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", script], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  running.add(child);
  child.once("exit", () => running.delete(child));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${script} was not ready after ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
    const onExit = (code: number | null, signal: string | null) =>
      fail(new Error(`${script} exited before it was ready (${signal ?? code})`));
    function fail(error: Error): void {
      clearTimeout(timer);
      child.off("exit", onExit);
      child.kill("SIGKILL");
      reject(error);
    }
    child.once("exit", onExit);
    child.once("error", fail);
    child.once("message", () => {
      clearTimeout(timer);
      child.off("exit", onExit);
      resolve(handle(child));
    });
  });
}

function handle(child: ChildProcess): BenchChild {
  const pid = child.pid as number;
  return {
    pid,
    peakRssBytes: () => peakRssBytes(pid),
    resetPeakRss: () => resetPeakRss(pid),
    request: (type) =>
      new Promise((resolve, reject) => {
        const id = ++nextRequest;
        const onMessage = (reply: ChildReply) => {
          if (reply.id !== id) return;
          child.off("message", onMessage);
          resolve(reply);
        };
        child.on("message", onMessage);
        child.send({ id, type } satisfies ChildRequest, (error) => {
          if (!error) return;
          child.off("message", onMessage);
          reject(error);
        });
      }),
    stop: () => stopChild(child),
  };
}

/** SIGTERM (the worker drains and closes), then SIGKILL if it is still there after a grace period. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

export async function stopAllChildren(): Promise<void> {
  await Promise.all([...running].map(stopChild));
}
