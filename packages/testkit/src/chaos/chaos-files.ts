/** Where the chaos test and its processes leave what they share: one directory, named by CHAOS_DIR. */
import { join } from "node:path";
import { z } from "zod";

export interface ChaosFiles {
  dir: string;
  /** The executions to start and when (written by the test, read by the client). */
  plan: string;
  /** Names of the executions the client has started. */
  started: string;
  runs: string;
  callbacks: string;
  answered: string;
  /** The child processes' stdout and stderr. */
  processes: string;
}

export function chaosFiles(dir = z.object({ CHAOS_DIR: z.string().min(1) }).parse(process.env).CHAOS_DIR): ChaosFiles {
  return {
    dir,
    plan: join(dir, "plan.json"),
    started: join(dir, "started.log"),
    runs: join(dir, "runs.log"),
    callbacks: join(dir, "callbacks.log"),
    answered: join(dir, "answered.log"),
    processes: join(dir, "processes.log"),
  };
}
