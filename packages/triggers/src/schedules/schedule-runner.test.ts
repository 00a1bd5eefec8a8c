/**
 * Firing schedules with several scheduler processes on their own connections, a clock the test drives,
 * and processes that die mid-round: each due time starts exactly one execution.
 */
import { createRuntime, type Runtime } from "@stepwise/runtime";
import {
  createSchedule,
  DEFAULT_SCHEDULE_GROUP,
  ensureScheduleGroup,
  executions,
  getSchedule,
  leaseDueSchedules,
  type ScheduleRecord,
  SchedulerResourceNotFound,
} from "@stepwise/storage";
import { createTestRuntime, type TestRuntime } from "@stepwise/testkit";
import { eq, sql } from "drizzle-orm";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scheduledExecutionName } from "./execution-name.ts";
import { fireSchedule } from "./fire-schedule.ts";
import { scheduleMetrics } from "./schedule-metrics.ts";
import { scheduleFromRequest, scheduleGroupArn } from "./schedule-request.ts";
import { type ScheduleRunner, startScheduleRunner } from "./schedule-runner.ts";

const T0 = new Date("2026-03-01T12:00:00Z");
const MINUTE = 60_000;

describe("schedules fire once per due time", () => {
  let t: TestRuntime;
  let machineArn: string;
  const arnContext = () => ({ region: t.config.STEPWISE_REGION, accountId: t.config.STEPWISE_ACCOUNT_ID });

  beforeAll(async () => {
    t = await createTestRuntime();
    machineArn = await t.createMachine({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });
    await ensureScheduleGroup(t.runtime.db, DEFAULT_SCHEDULE_GROUP, scheduleGroupArn(arnContext(), DEFAULT_SCHEDULE_GROUP), T0);
  });
  afterAll(async () => {
    await t.close();
  });

  const create = async (name: string, body: Record<string, unknown>, now = T0) => {
    const schedule = scheduleFromRequest(
      name,
      { FlexibleTimeWindow: { Mode: "OFF" }, Target: { Arn: machineArn, RoleArn: "arn:aws:iam::123456789012:role/r" }, ...body },
      { ...arnContext(), now },
    );
    await createSchedule(t.runtime.db, schedule);
    return schedule;
  };
  const executionsOf = async (stateMachineArn: string) =>
    (await t.runtime.db.select({ name: executions.name }).from(executions).where(eq(executions.stateMachineArn, stateMachineArn))).map(
      (e) => e.name,
    );

  it("three scheduler processes, killed at random, fire rate(1 minute) through 100 due times: 100 executions", async () => {
    const machine = await t.createMachine({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });
    const schedule = await create("every-minute", {
      ScheduleExpression: "rate(1 minute)",
      StartDate: T0.getTime() / 1000,
      EndDate: (T0.getTime() + 100 * MINUTE) / 1000,
      Target: { Arn: machine, RoleArn: "arn:aws:iam::123456789012:role/r", Input: '{"at":"<aws.scheduler.scheduled-time>"}' },
    });
    let clock = T0.getTime();
    const registry = new Registry();
    const observer = scheduleMetrics(registry);
    // A crash at the worst moment: the execution is started, the schedule not yet moved on. When armed, the
    // next process to move a schedule on has its statement fail and is then killed, as if it died there (a
    // sequence, not a table, says who was first: the failed statement rolls back what it wrote).
    await t.runtime.db.execute(
      sql.raw(`create sequence crash_seq;
      create table crash_points (armed boolean not null);
      insert into crash_points values (false);
      create function crash_before_advance() returns trigger language plpgsql as $$
      begin
        if new.next_due_at is distinct from old.next_due_at and (select armed from crash_points) and nextval('crash_seq') = 1 then
          raise exception 'killed before moving the schedule on';
        end if;
        return new;
      end $$;
      create trigger crash_before_advance before update on schedules for each row execute function crash_before_advance();`),
    );
    interface Process {
      runtime: Runtime;
      runner: ScheduleRunner;
    }
    const spawn = async (): Promise<Process> => {
      const runtime = await createRuntime(t.config, { name: "scheduler" });
      return { runtime, runner: startScheduleRunner(runtime, { now: () => new Date(clock), observer, leaseMs: 30_000 }, false) };
    };
    const processes = await Promise.all([spawn(), spawn(), spawn()]);
    const kill = async (i: number) => {
      await (processes[i] as Process).runtime.close();
      processes[i] = await spawn();
    };
    let kills = 0;
    let crashes = 0;
    // Deterministic randomness, so a failure can be replayed.
    let seed = 19;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let minute = 0; minute < 100; minute++) {
      clock = T0.getTime() + minute * MINUTE + 1000;
      const draw = random();
      // Now and then a crash between start and advance; now and then a process killed at a random moment.
      if (draw < 0.2) {
        await t.runtime.db.execute(sql`select setval('crash_seq', 1, false)`);
        await t.runtime.db.execute(sql`update crash_points set armed = true`);
      }
      const victim = draw >= 0.2 && draw < 0.4 ? Math.floor(random() * 3) : -1;
      const rounds = processes.map(async (p, i) => {
        const round = p.runner.tick();
        if (i === victim) {
          await new Promise((resolve) => setTimeout(resolve, random() * 15));
          await p.runtime.close();
        }
        return round;
      });
      const outcomes = await Promise.allSettled(rounds);
      await t.runtime.db.execute(sql`update crash_points set armed = false`);
      if (victim >= 0) {
        kills++;
        processes[victim] = await spawn();
      }
      const crashed = outcomes.findIndex(
        (o) => o.status === "rejected" && /killed before moving/.test(String(o.reason?.cause ?? o.reason)),
      );
      if (crashed >= 0 && crashed !== victim) {
        crashes++;
        await kill(crashed);
      }
    }
    // Time passes beyond every lease a dead process held; the processes catch up with what is left.
    clock = T0.getTime() + 101 * MINUTE;
    for (let round = 0; round < 300 && (await getSchedule(t.runtime.db, "default", "every-minute")).nextDueAt !== null; round++) {
      await Promise.all(processes.map((p) => p.runner.tick()));
    }
    for (const p of processes) await p.runtime.close();

    const expected = Array.from({ length: 100 }, (_, k) => scheduledExecutionName(schedule, new Date(T0.getTime() + k * MINUTE)));
    const started = await executionsOf(machine);
    expect(started).toHaveLength(100);
    expect(started.sort()).toEqual(expected.sort());
    expect(kills).toBeGreaterThan(10);
    expect(crashes).toBeGreaterThan(10);
    await t.runtime.db.execute(sql`drop trigger crash_before_advance on schedules`);
    // A fire is counted by the process that saw its execution created: one killed before the answer came
    // back counts nothing, and the process that finds the execution there does not count it again.
    const fires = (await registry.getSingleMetric("stepwise_schedule_fires_total")?.get())?.values[0]?.value ?? 0;
    expect(fires).toBeLessThanOrEqual(100);
    expect(fires).toBeGreaterThanOrEqual(100 - kills);
    expect((await getSchedule(t.runtime.db, "default", "every-minute")).nextDueAt).toBeNull();
  });

  it("a one-time at() schedule with ActionAfterCompletion DELETE fires once and disappears", async () => {
    const machine = await t.createMachine({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });
    await create("once", {
      ScheduleExpression: "at(2026-03-01T13:30:00)",
      ScheduleExpressionTimezone: "Europe/Paris",
      ActionAfterCompletion: "DELETE",
      Target: { Arn: machine, RoleArn: "arn:aws:iam::123456789012:role/r" },
    });
    let clock = T0.getTime();
    const runner = startScheduleRunner(t.runtime, { now: () => new Date(clock), observer: scheduleMetrics(new Registry()) }, false);
    await runner.tick();
    expect(await executionsOf(machine)).toEqual([]);
    clock = Date.parse("2026-03-01T12:30:00Z"); // 13:30 in Paris
    await runner.tick();
    await runner.tick();
    clock += 10 * MINUTE;
    await runner.tick();
    expect(await executionsOf(machine)).toHaveLength(1);
    await expect(getSchedule(t.runtime.db, "default", "once")).rejects.toThrow(SchedulerResourceNotFound);
  });

  it("after downtime, due times younger than MaximumEventAgeInSeconds fire once each; older ones are skipped and counted", async () => {
    const machine = await t.createMachine({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });
    await create("after-downtime", {
      ScheduleExpression: "rate(1 minute)",
      StartDate: T0.getTime() / 1000,
      Target: { Arn: machine, RoleArn: "arn:aws:iam::123456789012:role/r", RetryPolicy: { MaximumEventAgeInSeconds: 300 } },
    });
    const registry = new Registry();
    const clock = T0.getTime() + 60 * MINUTE; // an hour without a scheduler
    const runner = startScheduleRunner(t.runtime, { now: () => new Date(clock), observer: scheduleMetrics(registry) }, false);
    for (let round = 0; round < 20; round++) await runner.tick();
    // Due at +55 … +60 minutes: within five minutes of now.
    const fresh = await executionsOf(machine);
    expect(fresh).toHaveLength(6);
    expect((await registry.getSingleMetric("stepwise_schedule_skips_total")?.get())?.values[0]?.value).toBe(55);
    expect((await getSchedule(t.runtime.db, "default", "after-downtime")).nextDueAt?.getTime()).toBe(T0.getTime() + 61 * MINUTE);
  });

  it("a process whose lease lapsed while it worked does not move the schedule back", async () => {
    const machine = await t.createMachine({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });
    await create("slow-process", {
      ScheduleExpression: "rate(1 minute)",
      StartDate: T0.getTime() / 1000,
      Target: { Arn: machine, RoleArn: "arn:aws:iam::123456789012:role/r" },
    });
    const observer = scheduleMetrics(new Registry());
    // A slow process leases the first due time and stalls past its lease.
    const [stale] = (await leaseDueSchedules(t.runtime.db, new Date(T0.getTime() + 1000), 100, 30_000)).filter(
      (s) => s.name === "slow-process",
    );
    const clock = T0.getTime() + 61_000;
    const other = startScheduleRunner(t.runtime, { now: () => new Date(clock), observer }, false);
    await other.tick();
    await other.tick();
    expect((await getSchedule(t.runtime.db, "default", "slow-process")).nextDueAt?.getTime()).toBe(T0.getTime() + 2 * MINUTE);
    // It wakes up and finishes its work: the execution exists already, and the schedule stays where it is.
    expect(await fireSchedule(t.runtime, stale as ScheduleRecord, new Date(T0.getTime() + 1000), observer)).toBe("lost");
    expect((await getSchedule(t.runtime.db, "default", "slow-process")).nextDueAt?.getTime()).toBe(T0.getTime() + 2 * MINUTE);
    expect(await executionsOf(machine)).toHaveLength(2);
  });

  it("a target that no longer exists is a miss, and the schedule moves on", async () => {
    const registry = new Registry();
    await create("orphan", {
      ScheduleExpression: "rate(5 minutes)",
      StartDate: T0.getTime() / 1000,
      Target: { Arn: `${machineArn}-gone`, RoleArn: "arn:aws:iam::123456789012:role/r" },
    });
    const runner = startScheduleRunner(t.runtime, { now: () => T0, observer: scheduleMetrics(registry) }, false);
    await runner.tick();
    expect((await registry.getSingleMetric("stepwise_schedule_misses_total")?.get())?.values[0]?.value).toBe(1);
    expect((await getSchedule(t.runtime.db, "default", "orphan")).nextDueAt?.getTime()).toBe(T0.getTime() + 5 * MINUTE);
  });
});
