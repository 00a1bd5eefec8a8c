/**
 * A Stepwise app (`apps/<name>/src/main.ts`) as its own OS process on a free loopback port, for tests
 * that probe, scrape and signal real processes.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export interface AppProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL, if still running (test clean-up). */
  kill(): void;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts `node --import tsx <script>` (relative to the repository root) and waits until `/readyz` answers 200. */
export async function startApp(script: string, env: Record<string, string>, readyTimeoutMs = 30_000): Promise<AppProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: "silent", ...env, PORT: String(port) },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const app: AppProcess = {
    child,
    pid: child.pid as number,
    url: `http://127.0.0.1:${port}`,
    exited,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
  const deadline = Date.now() + readyTimeoutMs;
  let early: { code: number | null } | undefined;
  void exited.then((e) => {
    early = e;
  });
  for (;;) {
    if (early) throw new Error(`${script} exited with code ${early.code} before it was ready`);
    if ((await probe(`${app.url}/readyz`)) === 200) return app;
    if (Date.now() > deadline) {
      app.kill();
      throw new Error(`${script} was not ready within ${readyTimeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The HTTP status of a GET, or "down" when nothing answers. */
export async function probe(url: string): Promise<number | "down"> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return "down";
  }
}
