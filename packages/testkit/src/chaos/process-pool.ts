/** Child processes (workers, schedulers, the client) the chaos test starts, kills and replaces. */
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";

/** A process that died without the test killing it. */
export interface Crash {
  pid: number;
  at: number;
  /** Exit code or signal. */
  exit: string;
}

export class ProcessPool {
  private readonly live = new Set<ChildProcess>();
  private readonly killed = new WeakSet<ChildProcess>();
  private closed = false;
  readonly crashes: Crash[] = [];

  /** `logFile` takes the children's stdout and stderr, so BullMQ's reconnect noise stays out of the report. */
  constructor(
    readonly name: string,
    private readonly script: string,
    private readonly env: () => Record<string, string>,
    private readonly logFile: string,
  ) {}

  /** Starts one and waits until it says it is ready; a crash is recorded and replaced, so the pool keeps its size. */
  spawn(): Promise<ChildProcess> {
    const log = openSync(this.logFile, "a");
    const child = spawn(process.execPath, ["--import", "tsx", this.script], {
      env: { ...process.env, ...this.env() },
      stdio: ["ignore", log, log, "ipc"],
    });
    closeSync(log);
    this.live.add(child);
    return new Promise((resolve, reject) => {
      child.once("message", () => resolve(child));
      child.once("error", reject);
      child.once("exit", (code, signal) => {
        this.live.delete(child);
        resolve(child);
        if (this.killed.has(child) || this.closed) return;
        this.crashes.push({ pid: child.pid ?? 0, at: Date.now(), exit: `${code ?? signal}` });
        // A process that cannot start while a service is down would otherwise respawn in a tight loop.
        setTimeout(() => {
          if (!this.closed) this.spawn().catch(() => undefined);
        }, 500);
      });
    });
  }

  /**
   * SIGKILLs a random live process and returns its pid once it is gone; a replacement starts `downMs`
   * later, in the background (a start takes seconds on a busy machine, and faults must keep their moments).
   */
  async killOne(random: () => number, downMs: number): Promise<number | undefined> {
    // All of them may have crashed a moment ago; their replacements are due within a second.
    for (let i = 0; i < 50 && this.live.size === 0; i++) await new Promise((r) => setTimeout(r, 100));
    const all = [...this.live];
    const victim = all[Math.floor(random() * all.length)];
    if (!victim) return undefined;
    this.killed.add(victim);
    const exited = new Promise((r) => victim.once("exit", r));
    victim.kill("SIGKILL");
    await exited;
    setTimeout(() => {
      if (!this.closed) this.spawn().catch(() => undefined);
    }, downMs);
    return victim.pid;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      [...this.live].map((child) => {
        this.killed.add(child);
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGKILL");
        return exited;
      }),
    );
  }
}
