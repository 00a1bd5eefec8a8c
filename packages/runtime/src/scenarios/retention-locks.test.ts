import type { StateMachineDefinition } from "@stepwise/asl";
import { openSql } from "@stepwise/storage";
import { createTestRuntime, type TestRuntime } from "@stepwise/testkit";
import postgres, { type Sql } from "postgres";
import { afterAll, beforeAll, expect, it } from "vitest";
import { expireExecutions } from "../retention/expiry.ts";

const DAY = 86_400_000;
const OLD_EXECUTIONS = 1500;
const EVENTS_EACH = 60;

/** What a watcher on its own connection sees of the expiry transactions (named `stepwise-expiry`). */
interface LockWatch {
  samples: number;
  /** Samples taken while an expiry transaction was open. */
  expiryOpen: number;
  /** Backends seen waiting for a lock an expiry transaction held. */
  blocked: number;
  /** Table lock modes expiry transactions were seen holding. */
  modes: Set<string>;
}

const WATCH = `
  select (select count(*) from pg_stat_activity where application_name = 'stepwise-expiry' and state <> 'idle')::int as open,
         (select count(*) from pg_stat_activity w
          where w.wait_event_type = 'Lock'
            and exists (select 1 from pg_stat_activity b where b.pid = any(pg_blocking_pids(w.pid)) and b.application_name = 'stepwise-expiry'))::int as blocked,
         (select coalesce(json_agg(distinct l.mode), '[]') from pg_locks l join pg_stat_activity a on a.pid = l.pid
          where a.application_name = 'stepwise-expiry' and l.locktype = 'relation')::text as modes`;

function watchLocks(sql: Sql): { stop(): Promise<LockWatch> } {
  const watch: LockWatch = { samples: 0, expiryOpen: 0, blocked: 0, modes: new Set() };
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const [row] = await sql.unsafe<{ open: number; blocked: number; modes: string }[]>(WATCH);
      watch.samples++;
      if (row && row.open > 0) watch.expiryOpen++;
      watch.blocked += row?.blocked ?? 0;
      for (const mode of JSON.parse(row?.modes ?? "[]") as string[]) watch.modes.add(mode);
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return watch;
    },
  };
}

let t: TestRuntime;
let watcher: Sql;
let sql: Sql;
beforeAll(async () => {
  t = await createTestRuntime();
  sql = openSql(t.runtime.config.DATABASE_URL, { max: 2 });
  watcher = postgres(t.runtime.config.DATABASE_URL.replace(/\?.*$/, ""), { max: 1, onnotice: () => {} });
  t.worker({ handlers: {} });
  t.scheduler({ expiry: false });
});
afterAll(async () => {
  await watcher.end({ timeout: 5 });
  await sql.end({ timeout: 5 });
  await t.close();
});

/** Closed executions from a year ago, each with a history of `EVENTS_EACH` events and a thread, written straight into the tables. */
async function givenOldExecutions(stateMachineArn: string): Promise<void> {
  const executionPrefix = stateMachineArn.replace(":stateMachine:", ":execution:");
  await sql`
    insert into executions (arn, state_machine_arn, name, status, input, output, start_date, stop_date, definition, role_arn)
    select ${executionPrefix} || ':old-' || i, ${stateMachineArn}, 'old-' || i, 'SUCCEEDED', '{}', '{}',
      now() - interval '366 days', now() - interval '365 days', '{}', 'arn:aws:iam::123456789012:role/test'
    from generate_series(1, ${OLD_EXECUTIONS}) i`;
  await sql`
    insert into history_events (execution_arn, id, previous_event_id, type, timestamp, details)
    select ${executionPrefix} || ':old-' || i, e, e - 1, 'PassStateExited', now() - interval '365 days',
      json_build_object('stateExitedEventDetails', json_build_object('name', 'P' || e, 'output', repeat('x', 200)))
    from generate_series(1, ${OLD_EXECUTIONS}) i, generate_series(1, ${EVENTS_EACH}) e`;
  await sql`
    insert into execution_threads (execution_arn, thread_id, position, status)
    select ${executionPrefix} || ':old-' || i, '', '{}', 'SUCCEEDED' from generate_series(1, ${OLD_EXECUTIONS}) i`;
}

/** Ten Pass states, then a Wait of 0 s (a timer) and ten more. */
function longChain(): StateMachineDefinition {
  const states: Record<string, unknown> = {};
  for (let i = 0; i < 20; i++) states[`S${i}`] = { Type: "Pass", Next: i === 19 ? "Done" : i === 9 ? "Pause" : `S${i + 1}` };
  states.Pause = { Type: "Wait", Seconds: 0, Next: "S10" };
  states.Done = { Type: "Succeed" };
  return { StartAt: "S0", States: states } as StateMachineDefinition;
}

it("the watcher sees a backend waiting on a lock an expiry transaction holds (so it can tell)", async () => {
  const machine = await t.createMachine(longChain());
  const { execution } = await t.run(machine);
  const holder = await sql.reserve();
  const watch = watchLocks(watcher);
  try {
    await holder`begin`;
    await holder`select set_config('application_name', 'stepwise-expiry', true)`;
    await holder`select 1 from executions where arn = ${execution.arn} for update`;
    const waiter = sql`update executions set version = version + 1 where arn = ${execution.arn}`.then(() => {});
    await new Promise((resolve) => setTimeout(resolve, 300));
    await holder`rollback`;
    await waiter;
  } finally {
    holder.release();
  }
  expect((await watch.stop()).blocked).toBeGreaterThan(0);
});

it("deleting a year's backlog takes no lock that running executions' transitions wait for", async () => {
  const oldMachine = await t.createMachine({ StartAt: "P", States: { P: { Type: "Pass", End: true } } } as StateMachineDefinition);
  await givenOldExecutions(oldMachine);
  const machine = await t.createMachine(longChain());

  const watch = watchLocks(watcher);
  // The expiry runs as the scheduler's would, while executions start, step and close around it.
  const expiry = (async () => {
    let executions = 0;
    for (;;) {
      const report = await expireExecutions({
        db: t.runtime.db,
        logger: t.runtime.logger,
        observers: t.runtime.observers,
        retentionMs: 90 * DAY,
      });
      executions += report.executions;
      if (report.executions === 0) return executions;
    }
  })();
  const runs: Promise<unknown>[] = [];
  const started = Date.now();
  while (runs.length < 40 || Date.now() - started < 1000) {
    runs.push(t.run(machine, {}, 60_000).then(({ execution }) => expect(execution.status).toBe("SUCCEEDED")));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const [expired] = await Promise.all([expiry, Promise.all(runs)]);
  const seen = await watch.stop();

  expect(expired).toBe(OLD_EXECUTIONS);
  // The watcher did see expiry at work while the executions ran…
  expect(seen.expiryOpen).toBeGreaterThan(0);
  // …and never a backend waiting for a lock it held.
  expect(seen.blocked).toBe(0);
  // Table locks that conflict with no writer: its row locks are on the rows it deletes, of executions closed long ago.
  expect([...seen.modes].every((mode) => ["AccessShareLock", "RowShareLock", "RowExclusiveLock"].includes(mode))).toBe(true);
  const [left] = await sql<{ n: number }[]>`select count(*)::int as n from history_events where execution_arn like '%:old-%'`;
  expect(left?.n).toBe(0);
});
