import { createTestDatabase, type TestDatabase } from "@stepwise/testkit/database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNT } from "../test-fixtures.ts";
import { cancelTimer, cancelTimers, leaseDueTimers, markTimersFired, scheduleTimer } from "./timers.ts";

const LEASE_MS = 30_000;
const claimDueTimers = (db: Parameters<typeof leaseDueTimers>[0], now: Date, limit: number) => leaseDueTimers(db, now, limit, LEASE_MS);

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

const at = (second: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, second));
const execution = (name: string) => `${ACCOUNT}:execution:m:${name}`;

describe("timers", () => {
  it("leases only due timers, oldest first, and each once per lease", async () => {
    const arn = execution("due");
    await scheduleTimer(t.db, { id: "late", executionArn: arn, threadId: "", kind: "wait", fireAt: at(30) });
    await scheduleTimer(t.db, { id: "second", executionArn: arn, threadId: "", kind: "retry", fireAt: at(2), payload: { attempt: 1 } });
    await scheduleTimer(t.db, { id: "first", executionArn: arn, threadId: "", kind: "wait", fireAt: at(1) });

    const claimed = await claimDueTimers(t.db, at(10), 10);
    expect(claimed.map((timer) => timer.id)).toEqual(["first", "second"]);
    expect(claimed[1]).toMatchObject({ fired: false, fireAt: at(2), payload: { attempt: 1 }, kind: "retry" });
    expect(await claimDueTimers(t.db, at(10), 10)).toEqual([]);
    expect((await claimDueTimers(t.db, at(31), 10)).map((timer) => timer.id)).toEqual(["late"]);
    await cancelTimers(t.db, arn);
  });

  it("a lease that lapses makes the timer due again, until someone marks it fired once", async () => {
    const arn = execution("lapse");
    await scheduleTimer(t.db, { id: "lapse", executionArn: arn, threadId: "", kind: "wait", fireAt: at(50) });
    expect((await claimDueTimers(t.db, at(50), 10)).map((timer) => timer.id)).toEqual(["lapse"]);
    // Whoever leased it died: after the lease it is handed out again.
    expect((await claimDueTimers(t.db, new Date(at(50).getTime() + LEASE_MS), 10)).map((timer) => timer.id)).toEqual(["lapse"]);
    expect(await markTimersFired(t.db, ["lapse"], at(90))).toEqual(new Set(["lapse"]));
    expect(await markTimersFired(t.db, ["lapse"], at(91))).toEqual(new Set());
    expect((await claimDueTimers(t.db, at(999), 10)).filter((timer) => timer.executionArn === arn)).toEqual([]);
  });

  it("schedules idempotently by id", async () => {
    const arn = execution("idem");
    const id = await scheduleTimer(t.db, { id: "idem", executionArn: arn, threadId: "", kind: "wait", fireAt: at(100) });
    await scheduleTimer(t.db, { id: "idem", executionArn: arn, threadId: "", kind: "wait", fireAt: at(101) });
    const [timer] = await claimDueTimers(t.db, at(200), 10);
    expect(timer).toMatchObject({ id, fireAt: at(100) });
    expect(typeof (await scheduleTimer(t.db, { executionArn: arn, threadId: "", kind: "wait", fireAt: at(300) }))).toBe("string");
    await cancelTimers(t.db, arn);
  });

  it("lets a second scheduler skip the timers a first one holds instead of waiting or taking them too", async () => {
    const arn = execution("skip");
    for (let i = 0; i < 4; i++) {
      await scheduleTimer(t.db, { id: `skip-${i}`, executionArn: arn, threadId: "", kind: "wait", fireAt: at(400 + i) });
    }
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let claimedByFirst: string[] = [];
    let firstClaimed!: () => void;
    const firstHasClaimed = new Promise<void>((resolve) => {
      firstClaimed = resolve;
    });
    const first = t.db.transaction(async (tx) => {
      claimedByFirst = (await claimDueTimers(tx, at(500), 2)).map((timer) => timer.id);
      firstClaimed();
      await held;
    });
    await firstHasClaimed;
    // Runs while the first transaction still holds its rows.
    const claimedBySecond = (await claimDueTimers(t.db, at(500), 10)).map((timer) => timer.id);
    release();
    await first;
    expect(claimedByFirst).toEqual(["skip-0", "skip-1"]);
    expect(claimedBySecond).toEqual(["skip-2", "skip-3"]);
    await cancelTimers(t.db, arn);
  });

  it("never hands the same timer to two of many concurrent schedulers", async () => {
    const arn = execution("many");
    const ids = Array.from({ length: 40 }, (_, i) => `many-${i}`);
    for (const [i, id] of ids.entries()) {
      await scheduleTimer(t.db, { id, executionArn: arn, threadId: `Map/${i}`, kind: "wait", fireAt: at(600) });
    }
    const claimed: string[] = [];
    const scheduler = async () => {
      for (;;) {
        const batch = await claimDueTimers(t.db, at(601), 3);
        if (batch.length === 0) return;
        claimed.push(...batch.map((timer) => timer.id));
      }
    };
    await Promise.all([scheduler(), scheduler(), scheduler(), scheduler()]);
    expect(claimed).toHaveLength(ids.length);
    expect(new Set(claimed)).toEqual(new Set(ids));
    await cancelTimers(t.db, arn);
  });

  it("cancels unfired timers of an execution, of a thread, or of a kind", async () => {
    const arn = execution("cancel");
    await scheduleTimer(t.db, { id: "c-root-wait", executionArn: arn, threadId: "", kind: "wait", fireAt: at(700) });
    await scheduleTimer(t.db, { id: "c-root-hb", executionArn: arn, threadId: "", kind: "heartbeat_timeout", fireAt: at(700) });
    await scheduleTimer(t.db, { id: "c-child", executionArn: arn, threadId: "Map/0", kind: "wait", fireAt: at(700) });
    await scheduleTimer(t.db, { id: "c-other", executionArn: execution("keep"), threadId: "", kind: "wait", fireAt: at(700) });

    expect(await cancelTimer(t.db, "c-child")).toBe(true);
    expect(await cancelTimer(t.db, "c-child")).toBe(false);
    expect(await cancelTimers(t.db, arn, { threadId: "", kind: "heartbeat_timeout" })).toBe(1);
    expect(await cancelTimers(t.db, arn)).toBe(1);
    expect((await claimDueTimers(t.db, at(701), 100)).map((timer) => timer.id).filter((id) => id.startsWith("c-"))).toEqual(["c-other"]);
  });
});
