/**
 * A live Stepwise for the console's end-to-end tests: the API app (console included) over a real
 * runtime on Postgres and Redis, with a worker running a few task handlers, and the scheduler.
 */
import type { TaskHandler } from "../../../../packages/runtime/src/worker/task-handler.ts";
import { TaskFailure } from "../../../../packages/runtime/src/worker/task-handler.ts";
import { startTestApi, type TestApi } from "../../../api/src/rest/test-api.ts";

export const lambda = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

/** A task the test lets finish when it chooses, so a page can be watched while the execution runs. */
export interface Gate {
  handler: TaskHandler;
  open(): void;
}

export function createGate(): Gate {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return {
    handler: (input, context) =>
      new Promise((resolve, reject) => {
        context.signal.addEventListener("abort", () => reject(new Error("aborted")));
        void opened.then(() => resolve({ approved: true, input }));
      }),
    open,
  };
}

/** A task that fails until the test repairs it, so a failed execution can be redriven to success. */
export interface Outage {
  handler: TaskHandler;
  repair(): void;
}

export function createOutage(): Outage {
  let down = true;
  return {
    handler: (input) => {
      if (down) throw new TaskFailure("Carrier.Unavailable", "The carrier's booking service is down");
      return { booked: true, input };
    },
    repair: () => {
      down = false;
    },
  };
}

/**
 * A slow task that finishes only as the test admits it, one call per admission in the order they came,
 * so a page can be watched moving step by step. Inputs with `kg` over 30 fail with Parcel.TooHeavy.
 */
export interface Turnstile {
  handler: TaskHandler;
  /** Lets `n` more calls finish. */
  admit(n: number): void;
  /** Calls waiting to be admitted. */
  waiting(): number;
}

export function createTurnstile(): Turnstile {
  let permits = 0;
  const queue: Array<() => void> = [];
  const wake = () => {
    while (permits > 0 && queue.length > 0) {
      permits -= 1;
      queue.shift()?.();
    }
  };
  return {
    handler: (input, context) =>
      new Promise((resolve, reject) => {
        const go = () => {
          const kg = (input as { kg?: number }).kg ?? 0;
          if (kg > 30) reject(new TaskFailure("Parcel.TooHeavy", `${kg} kg is over the 30 kg limit`));
          else resolve({ kg, weighed: true });
        };
        context.signal.addEventListener("abort", () => {
          const at = queue.indexOf(go);
          if (at >= 0) queue.splice(at, 1);
          reject(new Error("aborted"));
        });
        queue.push(go);
        wake();
      }),
    admit: (n) => {
      permits += n;
      wake();
    },
    waiting: () => queue.length,
  };
}

export interface ConsoleStack extends TestApi {
  gate: Gate;
  outage: Outage;
  scale: Turnstile;
}

/**
 * `charge` answers with a receipt; `decline` always fails with Payment.Declined; `approve` waits for the
 * gate; `book` fails with Carrier.Unavailable until the outage is repaired; `weigh` waits for the scale
 * turnstile.
 */
export async function startConsoleStack(apiEnv: Record<string, string> = {}): Promise<ConsoleStack> {
  const gate = createGate();
  const outage = createOutage();
  const scale = createTurnstile();
  const handlers: Record<string, TaskHandler> = {
    charge: (input) => ({ receipt: "r-1", amount: (input as { amount?: number }).amount ?? 0 }),
    decline: () => {
      throw new TaskFailure("Payment.Declined", "The card was declined: insufficient funds");
    },
    approve: gate.handler,
    book: outage.handler,
    weigh: scale.handler,
  };
  const api = await startTestApi({ apiEnv, worker: { handlers } });
  return { ...api, gate, outage, scale };
}
