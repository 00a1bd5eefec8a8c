/** Child processes (workers, schedulers) the chaos test starts, kills and replaces. */
import { type ChildProcess, spawn } from "node:child_process";

export class ProcessPool {
  private readonly live = new Set<ChildProcess>();
  /** Processes that exited without the test killing them (a crash under a fault). */
  unexpectedExits = 0;
  /** Exit code or signal of each unexpected exit. */
  readonly exits: string[] = [];
  private readonly killed = new WeakSet<ChildProcess>();

  constructor(
    private readonly script: string,
    private readonly env: () => Record<string, string>,
  ) {}

  get size(): number {
    return this.live.size;
  }

  /** Starts one; a crash is counted and replaced, so the pool keeps its size. */
  spawn(): Promise<ChildProcess> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", this.script], {
        env: { ...process.env, ...this.env() },
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      });
      this.live.add(child);
      child.once("message", () => resolve(child));
      child.once("error", reject);
      child.once("exit", (code, signal) => {
        this.live.delete(child);
        resolve(child);
        if (this.killed.has(child) || this.closed) return;
        this.unexpectedExits++;
        this.exits.push(`${code ?? signal}`);
        // A process that cannot start while a service is down would otherwise respawn in a tight loop.
        setTimeout(() => {
          if (!this.closed) void this.spawn();
        }, 500);
      });
    });
  }

  private closed = false;

  /** SIGKILLs a random live process and starts a replacement. */
  async killOne(random: () => number): Promise<void> {
    const all = [...this.live];
    const victim = all[Math.floor(random() * all.length)];
    if (!victim) return;
    this.killed.add(victim);
    const exited = new Promise((r) => victim.once("exit", r));
    victim.kill("SIGKILL");
    await exited;
    await this.spawn();
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      [...this.live].map((child) => {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGKILL");
        return exited;
      }),
    );
  }
}
