import { createTestRuntime, type TestRuntime } from "@stepwise/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTaskLimits } from "../worker/task-limits.ts";

describe("a team caps how hard a downstream service is hit", () => {
  let t: TestRuntime;
  let active = 0;
  let peak = 0;
  const starts: number[] = [];

  beforeAll(async () => {
    t = await createTestRuntime({ STEPWISE_TASK_LIMITS: JSON.stringify({ fragile: { concurrency: 2 }, metered: { perSecond: 4 } }) });
    const handlers = {
      fragile: async () => {
        active += 1;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 100));
        active -= 1;
        return {};
      },
      metered: () => {
        starts.push(Date.now());
        return {};
      },
    };
    // Two workers, each willing to run 8 at once: the limit must still hold across both.
    t.worker({ handlers, concurrency: 8 });
    t.worker({ handlers, concurrency: 8 });
    t.scheduler();
  });
  afterAll(() => t.close());

  it("a handler's concurrency limit holds across every worker", async () => {
    const arn = await t.createMachine({
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          ItemProcessor: {
            StartAt: "F",
            States: { F: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:fragile", End: true } },
          },
          End: true,
        },
      },
    });
    const { execution } = await t.run(
      arn,
      Array.from({ length: 10 }, (_, i) => i),
    );
    expect(execution.status).toBe("SUCCEEDED");
    expect(peak).toBe(2);
  });

  it("a handler's rate limit spaces task starts", async () => {
    const arn = await t.createMachine({
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          ItemProcessor: {
            StartAt: "R",
            States: { R: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:metered", End: true } },
          },
          End: true,
        },
      },
    });
    const { execution } = await t.run(
      arn,
      Array.from({ length: 12 }, (_, i) => i),
    );
    expect(execution.status).toBe("SUCCEEDED");
    // 12 starts at 4 per second span at least two full windows.
    expect(Math.max(...starts) - Math.min(...starts)).toBeGreaterThanOrEqual(1500);
  });

  it("rejects malformed limits with the setting's name", () => {
    expect(() => parseTaskLimits('{"x": {"concurrency": 0}}')).toThrow(/STEPWISE_TASK_LIMITS: x.concurrency/);
    expect(() => parseTaskLimits("nope")).toThrow(/STEPWISE_TASK_LIMITS is not JSON/);
  });
});
