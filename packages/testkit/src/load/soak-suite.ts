/**
 * The soak test, registered by `npm run test:load` (minutes) and by a short run in `npm test`: the real
 * API, worker and scheduler processes under a sustained load, then stopped. It checks stability, not speed:
 * every execution right, the backlog drained, memory flat, latency as good at the end as at the start.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ClusterSize, type LoadCluster, startLoadCluster } from "./load-cluster.ts";
import { formatReport, type SoakReport } from "./soak-report.ts";
import { runSoak, type SoakOptions } from "./soak-run.ts";

export interface SoakSuiteOptions extends SoakOptions {
  title: string;
  size: ClusterSize;
  /**
   * The last window's execution p99 may be at most this many times the first window's. The p99 is about
   * the Wait kind's 1 s plus queueing, and a cluster that falls behind its load sees latency grow without
   * bound (a backlog growing by a tenth of the rate over minutes adds many seconds), while a burst of other
   * work on the same CPUs adds a few; 4x tells the two apart.
   */
  maxP99Growth: number;
}

/**
 * Resident memory may end at most this share above where the soak began, plus a fixed allowance, per
 * process. The soak begins after the probe has run the same processes flat out, so the JIT's code and the
 * Postgres and Redis connections are at full size; what moves is garbage V8 lets pile up between major
 * collections, and executions in flight when a burst of other work on the machine lets a backlog form:
 * in the runs behind docs/reliability.md a worker's heap swung between 40 and 113 MB and its RSS
 * between 154 and 232 MB, and came back down. A leak that keeps what each execution used (a cache never
 * pruned, a listener never removed) climbs instead; at a few thousand executions per run, one of tens
 * of KB per execution outgrows the bound, and a longer LOAD_DURATION_SECONDS finds smaller ones.
 */
const RSS_GROWTH_SHARE = 0.25;
const RSS_ALLOWANCE_BYTES = 64 * 2 ** 20;

const say = (line: string) => process.stdout.write(`${line}\n`);

export function soakSuite(options: SoakSuiteOptions): void {
  describe(options.title, () => {
    let cluster: LoadCluster | undefined;

    beforeAll(async () => {
      cluster = await startLoadCluster(options.size);
    }, 120_000);

    afterAll(async () => {
      await cluster?.close();
    }, 60_000);

    it(
      `holds a share of its capacity for ${options.durationMs / 1000} s: every execution right, queues drained, memory and latency flat`,
      async () => {
        const report: SoakReport = await runSoak(cluster as LoadCluster, options, say);
        say(`\n[load] results (${options.title})`);
        for (const line of formatReport(report)) say(`  ${line}`);

        expect((cluster as LoadCluster).exits, "every process stays up under load").toEqual([]);
        expect(report.startErrors).toEqual([]);
        expect(report.wrong).toEqual([]);
        // The API took the load at the rate offered (it answered StartExecution as fast as it was sent).
        expect(report.sent).toBeGreaterThanOrEqual(Math.floor(report.due * 0.95));
        expect(report.drainMs, `still pending after ${options.drainTimeoutMs} ms: ${JSON.stringify(report.pendingJobs)}`).toBeDefined();
        expect(Object.values(report.pendingJobs).every((n) => n === 0)).toBe(true);

        // From the end of the first window, not the soak's start: right after the probe the heaps still hold
        // its garbage, which would flatter the comparison.
        const [start, end] = [report.samples[1], report.samples.at(-1)];
        for (const [role, began] of start?.byProcess ?? []) {
          const ended = end?.byProcess.get(role);
          expect(ended?.rssBytes, `${role} resident memory`).toBeLessThanOrEqual(
            began.rssBytes * (1 + RSS_GROWTH_SHARE) + RSS_ALLOWANCE_BYTES,
          );
        }

        const [first, last] = [report.windows[0], report.windows.at(-1)];
        expect(first?.started).toBeGreaterThan(0);
        expect(last?.latencyP99Ms).toBeLessThanOrEqual((first?.latencyP99Ms ?? 0) * options.maxP99Growth);
      },
      options.probe.inFlight.length * options.probe.stepMs + options.durationMs + options.drainTimeoutMs + 120_000,
    );
  });
}
