/** What Linux's /proc says about a process: CPU time used and peak resident memory. */
import { readFileSync, writeFileSync } from "node:fs";

/** USER_HZ, the unit of /proc/<pid>/stat times: 100 on every architecture Linux exposes to user space. */
const CLOCK_TICKS_PER_SECOND = 100;

/** User plus system CPU time of the process so far, in ms; 0 if it is gone. */
export function cpuMs(pid: number): number {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return 0;
  }
  // The command name (field 2) may hold spaces; fields after its closing parenthesis start at field 3.
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** Peak resident set size (VmHWM) since start or the last `resetPeakRss`, in bytes. */
export function peakRssBytes(pid: number): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  if (kb === undefined) throw new Error(`no VmHWM for process ${pid}`);
  return Number(kb) * 1024;
}

/** Starts a new peak from the current RSS ("5" to clear_refs), so each workload gets its own. */
export function resetPeakRss(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, "5");
}

/** CPU used by a changing set of processes since the snapshot, counting processes that appeared later in full. */
export class CpuMeter {
  private readonly start = new Map<number, number>();

  constructor(pids: readonly number[]) {
    for (const pid of pids) this.start.set(pid, cpuMs(pid));
  }

  usedMs(pids: readonly number[]): number {
    return pids.reduce((sum, pid) => sum + cpuMs(pid) - (this.start.get(pid) ?? 0), 0);
  }
}
