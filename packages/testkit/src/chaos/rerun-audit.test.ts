import { describe, expect, it } from "vitest";
import type { InjectedFault } from "./fault-driver.ts";
import { auditReruns } from "./rerun-audit.ts";
import type { LoggedRun } from "./run-log.ts";

describe("the chaos re-run audit", () => {
  const run = (pid: number, at: number): LoggedRun => ({ handler: "step", outcome: "ok", taskId: "t1", executionArn: "e", pid, at });
  const fault = (kind: InjectedFault["kind"], began: number, victim?: number): InjectedFault => ({
    kind,
    at: 0,
    began,
    ended: began + 100,
    ...(victim === undefined ? {} : { victim }),
  });

  it("puts a re-run down to the kill of the worker that ran it first, or to a Redis or Postgres fault in between", () => {
    const runs = new Map([["t1", [run(10, 1000), run(11, 5000)]]]);
    expect(auditReruns(runs, [fault("kill-worker", 2000, 10)], []).byCause).toEqual({ "worker killed": 1 });
    expect(auditReruns(runs, [fault("flush-redis", 3000)], []).byCause).toEqual({ "redis flushed": 1 });
    expect(auditReruns(runs, [], [{ pid: 10, at: 1500, exit: "1" }]).byCause).toEqual({ "worker crashed": 1 });
  });

  it("reports a re-run no fault explains: none, another worker's kill, a scheduler kill, a fault after it", () => {
    const runs = new Map([["t1", [run(10, 1000), run(11, 5000)]]]);
    for (const faults of [[], [fault("kill-worker", 2000, 12)], [fault("kill-scheduler", 2000)], [fault("restart-redis", 9000)]])
      expect(auditReruns(runs, faults, []).unexplained).toHaveLength(1);
  });
});
