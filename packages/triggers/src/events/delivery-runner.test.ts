/**
 * Accepted events are never lost and start one execution per rule target: the process that accepted them
 * dies before delivering, three delivery processes on their own connections take them over, one of them
 * killed mid-round now and then, and now and then a delivery's execution started but its completion never
 * recorded (as if its process died in between).
 */
import { createRuntime, type Runtime } from "@stepwise/runtime";
import { changeTargets, DEFAULT_EVENT_BUS, ensureEventBus, executions, pendingDeliveries, putRule } from "@stepwise/storage";
import { createTestRuntime, type TestRuntime } from "@stepwise/testkit";
import { eq, sql } from "drizzle-orm";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DeliveryRunner, startDeliveryRunner } from "./delivery-runner.ts";
import { eventMetrics } from "./event-metrics.ts";
import { deliveryExecutionName, eventBusArn, ruleArn } from "./event-names.ts";
import { ACCEPT_LEASE_MS, putEvents } from "./put-events.ts";

describe("event deliveries survive the processes that handle them", () => {
  let t: TestRuntime;
  const context = () => ({ region: t.config.STEPWISE_REGION, accountId: t.config.STEPWISE_ACCOUNT_ID });

  beforeAll(async () => {
    t = await createTestRuntime();
    await ensureEventBus(t.runtime.db, DEFAULT_EVENT_BUS, eventBusArn(context(), DEFAULT_EVENT_BUS), new Date());
  });
  afterAll(async () => {
    await t.close();
  });

  const rule = async (name: string, pattern: unknown, targets: Array<{ Id: string; Arn: string }>) => {
    const arn = ruleArn(context(), DEFAULT_EVENT_BUS, name);
    await putRule(
      t.runtime.db,
      { arn, busName: DEFAULT_EVENT_BUS, name, eventPattern: JSON.stringify(pattern), state: "ENABLED", description: null, roleArn: null },
      new Date(),
    );
    await changeTargets(t.runtime.db, DEFAULT_EVENT_BUS, name, () => targets);
    return arn;
  };
  const executionsOf = async (stateMachineArn: string) =>
    (await t.runtime.db.select({ name: executions.name }).from(executions).where(eq(executions.stateMachineArn, stateMachineArn))).map(
      (e) => e.name,
    );

  it("fifty events, two targets, an acceptor that died and three delivery processes killed at random: one hundred executions", async () => {
    const shipping = await t.createMachine({ StartAt: "P", States: { P: { Type: "Pass", End: true } } }, "ship");
    const billing = await t.createMachine({ StartAt: "P", States: { P: { Type: "Pass", End: true } } }, "bill");
    const arn = await rule("paid", { "detail-type": ["OrderPaid"] }, [
      { Id: "ship", Arn: shipping },
      { Id: "bill", Arn: billing },
    ]);
    const accepted = new Date();
    const ids: string[] = [];
    for (let batch = 0; batch < 5; batch++) {
      const entries = Array.from({ length: 10 }, (_, i) => ({
        Source: "shop",
        DetailType: "OrderPaid",
        Detail: JSON.stringify({ n: batch * 10 + i }),
      }));
      const outcome = await putEvents(t.runtime, entries, accepted);
      for (const entry of outcome.entries) if ("EventId" in entry) ids.push(entry.EventId);
    }
    // The acceptor died here: everything it accepted waits in Postgres, leased to it for a while.
    expect(ids).toHaveLength(50);
    expect(await pendingDeliveries(t.runtime.db, ids)).toBe(100);

    // When armed, the next delivery to be recorded as done fails, as if its process died between starting
    // the execution and deleting the delivery (a sequence says who was first).
    await t.runtime.db.execute(
      sql.raw(`create sequence delivery_crash_seq;
      create table delivery_crash (armed boolean not null);
      insert into delivery_crash values (false);
      create function crash_before_done() returns trigger language plpgsql as $$
      begin
        if (select armed from delivery_crash) and nextval('delivery_crash_seq') = 1 then
          raise exception 'killed before recording the delivery';
        end if;
        return old;
      end $$;
      create trigger crash_before_done before delete on event_deliveries for each row execute function crash_before_done();`),
    );
    let clock = accepted.getTime() + ACCEPT_LEASE_MS + 1000;
    const registry = new Registry();
    const observer = eventMetrics(registry);
    interface Process {
      runtime: Runtime;
      runner: DeliveryRunner;
    }
    const spawn = async (): Promise<Process> => {
      const runtime = await createRuntime(t.config, { name: "scheduler" });
      return { runtime, runner: startDeliveryRunner(runtime, { now: () => new Date(clock), observer, batch: 2, leaseMs: 30_000 }, false) };
    };
    const processes = await Promise.all([spawn(), spawn(), spawn()]);
    let seed = 19;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    let kills = 0;
    let crashes = 0;
    for (let round = 0; round < 300 && (await pendingDeliveries(t.runtime.db, ids)) > 0; round++) {
      const draw = random();
      if (draw < 0.3) {
        await t.runtime.db.execute(sql`select setval('delivery_crash_seq', 1, false)`);
        await t.runtime.db.execute(sql`update delivery_crash set armed = true`);
      }
      const victim = draw >= 0.3 && draw < 0.6 ? Math.floor(random() * 3) : -1;
      await Promise.allSettled(
        processes.map(async (p, i) => {
          const tick = p.runner.tick();
          if (i === victim) {
            await new Promise((resolve) => setTimeout(resolve, random() * 10));
            await p.runtime.close();
          }
          return tick;
        }),
      );
      await t.runtime.db.execute(sql`update delivery_crash set armed = false`);
      if (victim >= 0) {
        kills++;
        processes[victim] = await spawn();
      }
      const [crash] = await t.runtime.db.execute<{ is_called: boolean }>(sql`select is_called from delivery_crash_seq`);
      if (draw < 0.3 && crash?.is_called) crashes++;
      // Leases of the dead lapse as time goes on.
      clock += 31_000;
    }
    for (const p of processes) await p.runtime.close();
    await t.runtime.db.execute(sql`drop trigger crash_before_done on event_deliveries`);

    expect(await pendingDeliveries(t.runtime.db, ids)).toBe(0);
    expect(kills).toBeGreaterThanOrEqual(3);
    expect(crashes).toBeGreaterThanOrEqual(3);
    for (const [targetId, machine] of [
      ["ship", shipping],
      ["bill", billing],
    ] as const) {
      const started = await executionsOf(machine);
      expect(started.sort()).toEqual(ids.map((id) => deliveryExecutionName(id, arn, targetId)).sort());
    }
    const delivered =
      (await registry.getSingleMetric("stepwise_event_deliveries_total")?.get())?.values.reduce((n, v) => n + v.value, 0) ?? 0;
    expect(delivered).toBeLessThanOrEqual(100);
    expect(delivered).toBeGreaterThanOrEqual(100 - kills);
  });

  it("a delivery whose state machine is gone fails once, is counted and is not tried again", async () => {
    const gone = `arn:aws:states:${t.config.STEPWISE_REGION}:${t.config.STEPWISE_ACCOUNT_ID}:stateMachine:gone`;
    await rule("orphan", { source: ["orphanage"] }, [{ Id: "gone", Arn: gone }]);
    const accepted = new Date();
    const outcome = await putEvents(t.runtime, [{ Source: "orphanage", DetailType: "x", Detail: "{}" }], accepted);
    const registry = new Registry();
    const runner = startDeliveryRunner(
      t.runtime,
      { now: () => new Date(accepted.getTime() + ACCEPT_LEASE_MS + 1), observer: eventMetrics(registry) },
      false,
    );
    expect(await runner.tick()).toBe(1);
    expect(await runner.tick()).toBe(0);
    expect(outcome.deliveries).toHaveLength(1);
    expect((await registry.getSingleMetric("stepwise_event_delivery_failures_total")?.get())?.values[0]?.value).toBe(1);
  });
});
